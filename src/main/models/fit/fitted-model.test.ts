import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ModelCard } from '../../../shared/model-card.ts'
import { modelsDir } from '../../paths.ts'
import { loadModel, loadModels } from '../registry.ts'
import { idFromFolder, writeFittedModel } from './fitted-model.ts'
import { fitPca } from './pca-fit.ts'
import { correlatedColumns } from './synthetic.ts'

const TAGS = ['Flow', 'Suction', 'Discharge', 'Current', 'Casing_T']
const model = fitPca(correlatedColumns(600, TAGS.length, 2, 5), TAGS)
let user = ''

/** A copy of the good fitted folder under user/, with its card edited. */
// The card as JSON a hand might have damaged: any field may be missing or wrong.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type RawCard = Record<string, any>
function edited(name: string, edit: (card: RawCard) => void) {
  const dir = join(user, name)
  cpSync(join(user, 'line-3-pump'), dir, { recursive: true })
  const card = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'))
  edit(card)
  writeFileSync(join(dir, 'model.json'), JSON.stringify(card))
}

beforeAll(() => {
  user = mkdtempSync(join(tmpdir(), 'vigil-user-models-'))
  writeFittedModel(join(user, 'line-3-pump'), model, { data: 'test rows', label: 'anomaly' })
  edited('window-5', (c) => (c.inputs.window = 5))
  edited('no-pca', (c) => delete c.pca)
  edited('short-std', (c) => c.pca.std.pop())
  edited('wrong-contrib', (c) => {
    c.id = 'wrong-contrib'
    c.pca.outputs.contrib = 'shares'
  })
  edited('same-id-as-shipped', (c) => (c.id = 'pump-ae'))
})
afterAll(() => rmSync(user, { recursive: true, force: true }))

describe('a fitted model folder', () => {
  it('holds an ONNX file, a card the schema accepts and a README, and loads like a shipped model', () => {
    const m = loadModel(join(user, 'line-3-pump'))
    expect(ModelCard.parse(m.card)).toBeTruthy()
    expect(m.card).toMatchObject({
      id: 'line-3-pump',
      kind: 'pca',
      label: 'anomaly',
      inputs: { name: 'x', tags: TAGS, window: 1 },
      outputs: { name: 'score' },
      threshold: { value: 1 },
      pca: { components: model.components, outputs: { t2: 't2', q: 'q', contrib: 'contrib' } },
    })
    expect(m.card.version).toBe(m.card.sha256.slice(0, 12))
    expect(m.card.threshold.method).toMatch(/99th percentile .* other 4 of 5 contiguous blocks/)
    const readme = readFileSync(join(user, 'line-3-pump', 'README.md'), 'utf8')
    expect(readme).toMatch(`${model.components} of 5`)
    expect(readme).toMatch('| Casing_T |')
  })

  it('loads beside the shipped models from the user folder; bad folders are refused with the reason', () => {
    const { models, errors } = loadModels(modelsDir(), user)
    expect(models.map((m) => m.card.id)).toContain('pump-ae')
    expect(models.map((m) => m.card.id)).toContain('line-3-pump')
    const why = Object.fromEntries(errors.map((e) => [e.folder.replace(`${user}/`, ''), e.message]))
    expect(Object.keys(why).sort()).toEqual([
      'no-pca',
      'same-id-as-shipped',
      'short-std',
      'window-5',
      'wrong-contrib',
    ])
    expect(why['window-5']).toMatch(/window-5\/model\.json: inputs\.window: must be 1 for kind "pca"/)
    expect(why['no-pca']).toMatch(/no-pca\/model\.json: pca: is required for kind "pca"/)
    expect(why['short-std']).toMatch(/pca\.std: has 4 values for 5 tags/)
    expect(why['wrong-contrib']).toMatch(
      /graph outputs are "score", "t2", "q", "contrib"; .* pca\.outputs\.contrib says "shares"/,
    )
    expect(why['same-id-as-shipped']).toMatch(
      /id "pump-ae" is already taken by .*models\/pump-ae; give the fitted model another id/,
    )
  })

  it('a missing user folder holds no models and is no error', () => {
    const { errors } = loadModels(modelsDir(), join(user, 'not-there'))
    expect(errors).toEqual([])
  })

  it('the example in example-skab-valve1-0 still loads through the registry', () => {
    const m = loadModel(new URL('./example-skab-valve1-0/', import.meta.url).pathname)
    expect(m.card).toMatchObject({ id: 'example-skab-valve1-0', kind: 'pca', label: 'anomaly' })
    expect(m.card.inputs.tags).toHaveLength(8)
  })

  it('takes its id from the folder name', () => {
    expect(idFromFolder('/data/My Pump #2/')).toBe('my-pump-2')
    expect(idFromFolder('/data/__/')).toBe('fitted-pca')
  })
})
