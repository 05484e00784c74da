import { readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { TimeSpec } from '../../shared/import.ts'
import { BadRowLog } from './bad-rows.ts'
import { detectFile } from './detect.ts'
import { parseFile } from './file-parse.ts'
import { suggestMapping } from './mapping.ts'
import { planOf } from './parse-plan.ts'
import { RowSink } from './row-sink.ts'
import { CMAPSS, scratch, SKAB } from './test-files.ts'

let tmp: ReturnType<typeof scratch>
beforeEach(() => {
  tmp = scratch()
})
afterEach(() => tmp.remove())

/** Parses a file the way an import would, into plain arrays. */
async function parse(
  file: string,
  o: { slow?: boolean; abort?: boolean; time?: TimeSpec; batch?: number } = {},
) {
  const d = await detectFile(file)
  const m = suggestMapping({
    shape: d.shape,
    assetId: 'a',
    asset: null,
    format: d.format,
    time: o.time ?? d.guess.time,
    columns: d.columns,
  })
  const plan = planOf(m, d.headers, file)
  const log = new BadRowLog(file)
  const sink = new RowSink(plan.tags.length, o.abort ? 'abort' : 'skip', log, o.batch)
  const t: number[] = []
  const values: number[][] = plan.tags.map(() => [])
  const quality: number[][] = plan.tags.map(() => [])
  const parser = await parseFile({
    file,
    format: m.format,
    plan,
    start: d.start,
    slow: o.slow ?? d.slowReason !== undefined,
    sink,
    async pause() {
      for (const b of sink.take()) {
        t.push(...b.t)
        b.values.forEach((v, k) => values[k]!.push(...v))
        b.quality.forEach((q, k) => quality[k]!.push(...q))
      }
      return true
    },
  })
  return { t, values, quality, bad: log.rows, parser, tags: plan.tags }
}

const T0 = Date.UTC(2024, 0, 1)
const at = (s: number) => T0 + s * 1000
const row = (s: number, ...cells: (string | number)[]) =>
  [new Date(at(s)).toISOString().slice(0, 19).replace('T', ' '), ...cells].join(',')

describe('parsing a file into columns', () => {
  it('reads the real SKAB file exactly as a plain split and Number() do', async () => {
    const r = await parse(SKAB)
    const lines = readFileSync(SKAB, 'utf8').trim().split('\n').slice(1)
    expect(r.parser).toBe('fast')
    expect(r.t).toHaveLength(lines.length)
    lines.forEach((l, i) => {
      const cells = l.split(';')
      expect(r.t[i]).toBe(Date.parse(`${cells[0]!.replace(' ', 'T')}Z`))
      for (let k = 0; k < 8; k++) expect(r.values[k]![i]).toBe(Number(cells[k + 1]))
    })
  })

  it('reads the real C-MAPSS file, leading and trailing spaces and all', async () => {
    const r = await parse(CMAPSS)
    const lines = readFileSync(CMAPSS, 'utf8').trim().split('\n')
    expect(r.t).toHaveLength(lines.length)
    const last = lines[lines.length - 1]!.trim().split(/\s+/).map(Number)
    expect(r.values.map((v) => v[lines.length - 1])).toEqual(last)
    expect(r.t[1]! - r.t[0]!).toBe(1000)
  })

  it('skips empty lines, reads CRLF and a last line without a line end', async () => {
    const f = tmp.file(
      'crlf.csv',
      `time,a,b\r\n${row(0, 1, 2)}\r\n\r\n\r\n${row(1, 3, 4)}\r\n${row(2, 5, 6)}`,
    )
    const r = await parse(f)
    expect(r.t).toEqual([at(0), at(1), at(2)])
    expect(r.values).toEqual([
      [1, 3, 5],
      [2, 4, 6],
    ])
    expect(r.bad).toEqual([])
  })

  it('reports text in a numeric field, a short row, a long row and time going back, with file, line and reason', async () => {
    const f = tmp.file(
      'bad.csv',
      [
        'time,a,b',
        row(0, 1, 2),
        row(1, 'oops', 2),
        row(2, 3),
        row(3, 4, 5, 6),
        row(-1, 7, 8),
        `not-a-time,9,9`,
        row(4, '', 'NaN'),
        row(5, 10, 11),
      ].join('\n'),
    )
    const r = await parse(f)
    expect(r.bad.map((b) => [b.line, b.reason])).toEqual([
      [3, 'number'],
      [4, 'columns'],
      [5, 'columns'],
      [6, 'backwards'],
      [7, 'time'],
    ])
    expect(r.bad[0]).toMatchObject({ column: 'a', value: 'oops' })
    expect(r.bad[0]!.message).toBe(`${f}:3: column "a": "oops" is not a number`)
    expect(r.bad[1]!.message).toMatch(/has 2 fields; the file's rows have 3/)
    expect(r.t).toEqual([at(0), at(4), at(5)])
    expect(r.values[0]).toEqual([1, NaN, 10])
    // Empty and NaN cells are missing values (quality MISSING = 8), not bad rows.
    expect(r.quality.map((q) => q[1])).toEqual([8, 8])
  })

  it('stops at the first bad row in abort mode', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => row(i, i === 3 ? 'x' : i))
    const f = tmp.file('abort.csv', ['time,a', ...rows].join('\n'))
    const r = await parse(f, { abort: true })
    expect(r.bad.map((b) => b.line)).toEqual([5])
  })

  it('hands a file to the library parser at its first quoted field, keeping line numbers across embedded line breaks', async () => {
    const lines = ['time,a,note']
    for (let i = 0; i < 50_000; i++) lines.push(row(i, i, 'ok'))
    lines.push(row(50_000, 1, '"a note, with a comma\nand a line break"'))
    lines.push(row(50_001, 'bad', 'x'))
    lines.push(row(50_002, 2, '"say ""hi"""'))
    const f = tmp.file('quoted.csv', `${lines.join('\n')}\n`)
    const r = await parse(f, { batch: 4096 })
    expect(r.parser).toMatch(/^fast, then library from line 50002/)
    expect(r.t).toHaveLength(50_002)
    expect(r.values[0]!.slice(-2)).toEqual([1, 2])
    expect(r.bad).toEqual([expect.objectContaining({ line: 50_004, reason: 'number', value: 'bad' })])
  })

  it('gives the same columns and bad rows on the fast path and the library path', async () => {
    const lines = ['time;a;b']
    for (let i = 0; i < 3000; i++)
      lines.push(`${new Date(at(i)).toISOString()};${(i * 1.1).toFixed(3)};${i % 97 === 0 ? 'x' : -i}`)
    const f = tmp.file('same.csv', `${lines.join('\r\n')}\r\n`)
    const fast = await parse(f)
    const slow = await parse(f, { slow: true })
    expect(fast.parser).toBe('fast')
    expect(slow.parser).toBe('library')
    expect(slow.t).toEqual(fast.t)
    expect(slow.values).toEqual(fast.values)
    expect(slow.bad).toEqual(fast.bad)
    expect(fast.bad).toHaveLength(31)
  })

  it('imports a UTF-16 file with a byte-order mark through the library parser', async () => {
    const text = `\uFEFFtime,wert\n${row(0, 1.5)}\n${row(1, 2.5)}\n`
    const r = await parse(tmp.file('u16.csv', Buffer.from(text, 'utf16le')))
    expect(r.parser).toBe('library')
    expect(r.t).toEqual([at(0), at(1)])
    expect(r.values[0]).toEqual([1.5, 2.5])
  })
})
