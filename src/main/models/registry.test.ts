import { createHash } from 'node:crypto'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadModel, loadModels } from './registry.ts'

const shipped = new URL('../../../models/pump-ae/', import.meta.url).pathname
const card = JSON.parse(readFileSync(join(shipped, 'model.json'), 'utf8'))
let root = ''

/** A model folder under root: the shipped onnx (unless onnx is given) and a card edited by `edit`. */
function folder(name: string, edit: (c: typeof card) => unknown, onnx?: string) {
  const dir = join(root, name)
  mkdirSync(dir)
  const c = structuredClone(card)
  const written = edit(c) ?? c
  writeFileSync(join(dir, 'model.json'), typeof written === 'string' ? written : JSON.stringify(written))
  if (onnx === undefined) copyFileSync(join(shipped, 'model.onnx'), join(dir, 'model.onnx'))
  else if (onnx !== '') writeFileSync(join(dir, 'model.onnx'), onnx)
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'vigil-models-'))
  folder('good', () => undefined)
  folder('bad-json', () => '{ "id": "pump-ae", ')
  folder('bad-threshold', (c) => void (c.threshold.value = -1))
  folder('short-scaler', (c) => void c.inputs.scaler.max.pop())
  folder('short-baseline', (c) => void (c.inputs.errorBaseline = [0.02, 0.03]))
  folder(
    'zero-baseline',
    (c) => void (c.inputs.errorBaseline = c.inputs.tags.map((_: string, j: number) => j * 0.01)),
  )
  folder('no-onnx', () => undefined, '')
  folder('hash', (c) => void (c.sha256 = 'a'.repeat(64)))
  folder('wrong-input', (c) => void (c.inputs.name = 'x'))
  folder('wrong-output', (c) => void (c.outputs.name = 'y'))
  folder('wrong-window', (c) => void (c.inputs.window = 20))
  folder('not-onnx', (c) => void (c.sha256 = createHash('sha256').update('hello\n').digest('hex')), 'hello\n')
  mkdirSync(join(root, 'empty'))
  mkdirSync(join(root, '.hidden'))
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('model registry', () => {
  it('loads the shipped pump-ae model', () => {
    const { models, errors } = loadModels(new URL('../../../models/', import.meta.url).pathname)
    expect(errors).toEqual([])
    const m = models.find((x) => x.card.id === 'pump-ae')!
    expect(m.card.inputs).toMatchObject({ name: 'window', window: 30 })
    expect(m.card.inputs.tags).toHaveLength(10)
    expect(m.onnxPath).toMatch(/pump-ae\/model\.onnx$/)
  })

  it('keeps loading good folders while reporting each bad one with the file and field at fault', () => {
    const { models, errors } = loadModels(root)
    expect(models.map((m) => m.dir)).toEqual([join(root, 'good')])
    const why = Object.fromEntries(errors.map((e) => [e.folder, e.message]))
    expect(Object.keys(why).sort()).toEqual(
      [
        'bad-json',
        'bad-threshold',
        'empty',
        'hash',
        'no-onnx',
        'not-onnx',
        'short-scaler',
        'short-baseline',
        'zero-baseline',
        'wrong-input',
        'wrong-output',
        'wrong-window',
      ].sort(),
    )
    expect(why['bad-json']).toMatch(/bad-json\/model\.json: not valid JSON/)
    expect(why['bad-threshold']).toMatch(/bad-threshold\/model\.json: threshold\.value: /)
    expect(why['short-scaler']).toMatch(/inputs\.scaler\.max: has 9 values for 10 tags/)
    expect(why['short-baseline']).toMatch(/inputs\.errorBaseline: has 2 values for 10 tags/)
    expect(why['zero-baseline']).toMatch(/zero-baseline\/model\.json: inputs\.errorBaseline\[0\]: Too small/)
    expect(why['no-onnx']).toMatch(/no-onnx\/model\.json: file: "model\.onnx" is missing/)
    expect(why['hash']).toMatch(
      /hash\/model\.onnx: sha256 is [0-9a-f]{64} but .*model\.json sha256 says a{64}/,
    )
    expect(why['wrong-input']).toMatch(/graph inputs are "window"; .*inputs\.name says "x"/)
    expect(why['wrong-output']).toMatch(/graph outputs are "reconstruction"; .*outputs\.name says "y"/)
    expect(why['wrong-window']).toMatch(
      /input "window" has shape \[batch, 30, 10\]; .* says \[batch, 20, 10\]/,
    )
    expect(why['not-onnx']).toMatch(/not-onnx\/model\.onnx: not an ONNX model/)
    expect(why['empty']).toMatch(/empty\/model\.json: missing/)
  })

  it('reports a models folder that does not exist instead of throwing', () => {
    const { models, errors } = loadModels(join(root, 'nowhere'))
    expect(models).toEqual([])
    expect(errors[0]!.message).toMatch(/nowhere: cannot list model folders/)
  })

  it('throws a model.invalid VigilError for one bad folder', () => {
    expect(() => loadModel(join(root, 'hash'))).toThrow(expect.objectContaining({ code: 'model.invalid' }))
  })
})
