import { createHash } from 'node:crypto'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { VigilError } from '../../shared/errors.ts'
import { mutation, namesPlace } from '../engine/json-mutation.ts'
import { modelsDir } from '../paths.ts'
import { readOnnxSignature } from './onnx-signature.ts'
import { loadModels } from './registry.ts'

/*
 * A model folder is data someone copied in: any change to the shipped card, and any damage to
 * its ONNX file, is either harmless or refused with model.invalid naming the file and field,
 * while the other folders keep loading.
 */
const shipped = join(modelsDir(), 'pump-ae')
const card = JSON.parse(readFileSync(join(shipped, 'model.json'), 'utf8'))
const onnx = readFileSync(join(shipped, 'model.onnx'))
const root = mkdtempSync(join(tmpdir(), 'vigil-models-fuzz-'))
for (const f of ['a-good', 'b-fuzzed']) {
  mkdirSync(join(root, f))
  copyFileSync(join(shipped, 'model.onnx'), join(root, f, 'model.onnx'))
  writeFileSync(join(root, f, 'model.json'), JSON.stringify(card))
}
const fuzzedCard = join(root, 'b-fuzzed', 'model.json')
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('model folders under arbitrary damage', () => {
  it('refuses a broken edit of the card naming the file and field, and keeps loading the other folder', () => {
    fc.assert(
      fc.property(mutation(card, 4), (m) => {
        writeFileSync(fuzzedCard, JSON.stringify(m.doc))
        const { models, errors } = loadModels(root)
        expect(models.some((x) => x.dir === join(root, 'a-good'))).toBe(true)
        expect(models.length + errors.length).toBe(2)
        const e = errors[0]
        if (!e) return
        expect(e.folder).toBe('b-fuzzed')
        expect(e.message).toContain(join(root, 'b-fuzzed'))
        // Schema refusals name the card and the field; later checks name the ONNX file and the card's field.
        if (e.message.startsWith(`${fuzzedCard}: `) && !/model\.onnx/.test(e.message))
          expect(
            namesPlace(e.message, m.path, fuzzedCard, 1),
            `${JSON.stringify(m.path)}\n${e.message}`,
          ).toBe(true)
      }),
      { numRuns: 250 },
    )
  })

  it('refuses any bytes or damaged ONNX graph with model.invalid naming the file, never another error', () => {
    const damaged = fc.oneof(
      fc.uint8Array({ maxLength: 400 }),
      fc
        .tuple(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), fc.nat())
        .map(([flips, cut]) => {
          const b = Uint8Array.from(onnx)
          for (const [at, v] of flips) b[at % b.length] = v
          return b.subarray(0, onnx.length - (cut % 64))
        }),
    )
    fc.assert(
      fc.property(damaged, (bytes) => {
        try {
          const sig = readOnnxSignature(bytes, 'x/model.onnx')
          expect(Array.isArray(sig.inputs) && sig.outputs.length > 0).toBe(true)
        } catch (e) {
          expect(e).toBeInstanceOf(VigilError)
          expect((e as VigilError).code).toBe('model.invalid')
          expect((e as Error).message).toMatch(/^x\/model\.onnx: /)
        }
      }),
      { numRuns: 400 },
    )
  })

  it('refuses a damaged ONNX file whose card hash was updated to match, keeping the good folder', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        (flips) => {
          const b = Buffer.from(onnx)
          for (const [at, v] of flips) b[at % b.length] = v
          writeFileSync(join(root, 'b-fuzzed', 'model.onnx'), b)
          const sha256 = createHash('sha256').update(b).digest('hex')
          writeFileSync(fuzzedCard, JSON.stringify({ ...card, sha256 }))
          const { models, errors } = loadModels(root)
          expect(models.some((x) => x.dir === join(root, 'a-good'))).toBe(true)
          for (const e of errors) expect(e.message).toContain(join(root, 'b-fuzzed'))
        },
      ),
      { numRuns: 100 },
    )
  })
})
