import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { VigilError } from '../../shared/errors.ts'
import { detectFile } from './detect.ts'

/*
 * An engineer's CSV can hold anything: byte-order marks, mixed encodings, unbalanced quotes,
 * NaN and Inf, dates out of range, one huge line. Detection answers every file with a layout
 * or a VigilError naming the file, never another exception.
 */
const dir = mkdtempSync(join(tmpdir(), 'vigil-csv-fuzz-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const cell = fc.oneof(
  fc.constantFrom(
    'NaN',
    'Inf',
    '-Infinity',
    '1e309',
    '',
    '"',
    '""',
    '"a,b"',
    '"unclosed',
    '\u00e9',
    '\ufffd',
    '\u0000',
  ),
  fc.constantFrom(
    '2024-02-30 25:61:00',
    '0000-01-01',
    '9999-12-31T23:59:59Z',
    '31/12/1899',
    '1e20',
    '-0',
    '1,5',
    '1.5',
  ),
  fc.double().map(String),
  fc.integer().map(String),
  fc.string({ maxLength: 12 }),
)
const row = fc.tuple(
  fc.array(cell, { minLength: 1, maxLength: 8 }),
  fc.constantFrom(',', ';', '\t', '|', ' '),
)
const lineEnd = fc.constantFrom('\n', '\r\n', '\r')
const text = fc
  .tuple(fc.array(row, { maxLength: 30 }), lineEnd)
  .map(([rows, nl]) => rows.map(([cells, d]) => cells.join(d)).join(nl))
const bom = fc.constantFrom('', '\ufeff')
const encode = fc.constantFrom('utf8', 'latin1', 'utf16le') as fc.Arbitrary<BufferEncoding>
const file = fc.oneof(
  fc.tuple(bom, text, encode).map(([b, t, e]) => Buffer.from(b + t, e)),
  fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b)),
  fc
    .tuple(fc.constantFrom('time,a\n', ''), fc.integer({ min: 1, max: 20_000 }))
    .map(([h, n]) => Buffer.from(h + 'x'.repeat(n))),
)

describe('CSV detection under hostile files', () => {
  it('answers any file with a layout or a VigilError naming the file', async () => {
    let i = 0
    await fc.assert(
      fc.asyncProperty(file, async (bytes) => {
        const path = join(dir, `f${i++}.csv`)
        writeFileSync(path, bytes)
        try {
          const d = await detectFile(path)
          expect(d.headers.length).toBe(d.columns.length)
        } catch (e) {
          expect(e).toBeInstanceOf(VigilError)
          expect((e as Error).message).toContain(path)
        }
      }),
      { numRuns: 200 },
    )
  })

  it('answers a file whose first line fills the whole head (256 KB, no line end)', async () => {
    const path = join(dir, 'one-line.csv')
    writeFileSync(path, `time,${'9'.repeat(300_000)}`)
    const d = await detectFile(path).catch((e: unknown) => e)
    if (d instanceof Error) expect(d).toBeInstanceOf(VigilError)
    else expect((d as { headers: string[] }).headers.length).toBeGreaterThan(0)
  })
})
