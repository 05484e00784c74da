import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { VigilError } from '../../shared/errors.ts'
import { demoPlantPath } from '../paths.ts'
import { mutation, namesPlace } from './json-mutation.ts'
import { loadPlantConfig, parsePlantConfig } from './plant-config.ts'

/*
 * A plant configuration comes from an engineer's editor or another tool: any change to a good
 * one, and any bytes at all, are either accepted or refused with a config.invalid error naming
 * the file and the field, never another kind of exception.
 */
const demo = JSON.parse(readFileSync(demoPlantPath(), 'utf8'))
const dir = mkdtempSync(join(tmpdir(), 'vigil-cfg-fuzz-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function refusal(fn: () => unknown): VigilError | null {
  try {
    fn()
    return null
  } catch (e) {
    expect(e).toBeInstanceOf(VigilError)
    expect((e as VigilError).code).toBe('config.invalid')
    return e as VigilError
  }
}

describe('plant configuration under arbitrary edits', () => {
  it('refuses any broken edit of the demo plant naming the file and the changed field (or the one beside it that it must agree with)', () => {
    fc.assert(
      fc.property(mutation(demo), (m) => {
        const e = refusal(() => parsePlantConfig(m.doc, 'plant.json'))
        if (!e) return
        expect(e.message.startsWith('plant.json: ')).toBe(true)
        expect(
          namesPlace(e.message, m.path, 'plant.json', m.path.length - 1),
          `${m.change} ${JSON.stringify(m.path)}\n${e.message}`,
        ).toBe(true)
      }),
      { numRuns: 500 },
    )
  })

  it('refuses any JSON value that is not a plant, naming the file', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => {
        const e = refusal(() => parsePlantConfig(v, 'plant.json'))
        expect(e?.message.startsWith('plant.json: ')).toBe(true)
      }),
      { numRuns: 300 },
    )
  })

  it('reads any bytes as JSON or YAML without an exception other than config.invalid', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
      mutation(demo).map((m) => JSON.stringify(m.doc).slice(0, 2000)),
    )
    let i = 0
    fc.assert(
      fc.property(text, fc.constantFrom('json', 'yaml'), (t, ext) => {
        const file = join(dir, `p${i++}.${ext}`)
        writeFileSync(file, t)
        const e = refusal(() => loadPlantConfig(file))
        if (e) expect(e.message.startsWith(`${file}: `)).toBe(true)
      }),
      { numRuns: 300 },
    )
  })

  it('refuses a YAML alias bomb instead of expanding it', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]']
    for (let k = 1; k < 12; k++) {
      const prev = String.fromCharCode(96 + k)
      const next = String.fromCharCode(97 + k)
      lines.push(`${next}: &${next} [${Array(10).fill(`*${prev}`).join(', ')}]`)
    }
    const file = join(dir, 'bomb.yaml')
    writeFileSync(file, `${lines.join('\n')}\nname: x\n`)
    expect(() => loadPlantConfig(file)).toThrow(/bomb\.yaml: not valid YAML: .*alias/i)
  })
})
