import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { modelsDir } from '../paths.ts'
import { loadModels, type LoadedModel, type ModelLoadError } from './registry.ts'
import { watchUserModels, type UserModelsWatch } from './user-models-watch.ts'

/*
 * A served user model folder that an engineer overwrites with a re-fitted model, half-copies,
 * or deletes while the watcher runs. Real folders in a temp dir, the real registry (loadModel's
 * checks, hash included) and the shipped models' real ONNX files; the served list is kept the
 * way the engine keeps registry.models, through the watcher's callbacks.
 */

let dir: string
let shipped: string
let user: string
let models: LoadedModel[]
let errors: ModelLoadError[]
let watch: UserModelsWatch | undefined

/** Writes a shipped model's card and graph into `to`, under another id and whatever else `card` says. */
function copyModel(from: string, to: string, card: Record<string, unknown>): void {
  mkdirSync(to, { recursive: true })
  const src = JSON.parse(readFileSync(join(from, 'model.json'), 'utf8'))
  copyFileSync(join(from, 'model.onnx'), join(to, 'model.onnx'))
  writeFileSync(join(to, 'model.json'), JSON.stringify({ ...src, ...card }))
}
const byId = (id: string) => models.find((m) => m.card.id === id)
const start = (debounceMs = 30) =>
  (watch = watchUserModels({
    dir: user,
    loaded: () => models,
    onLoaded: (m) => void models.push(m),
    onReplaced: (prev, next) => void (models[models.indexOf(prev)] = next),
    onRemoved: (m) => void models.splice(models.indexOf(m), 1),
    onErrors: (e) => void (errors = e),
    debounceMs,
  }))
async function until(pred: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms
  while (!pred()) {
    if (Date.now() > end) throw new Error(`not reached in ${ms} ms: ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-user-models-'))
  // The shipped models, copied so a test can delete one of their folders too.
  shipped = join(dir, 'shipped')
  for (const id of ['pump-ae', 'skab-ae']) copyModel(join(modelsDir(), id), join(shipped, id), {})
  user = join(dir, 'user')
  copyModel(join(modelsDir(), 'pump-ae'), join(user, 'hand-ae'), { id: 'hand-ae', version: '1.0.0' })
  const registry = loadModels(shipped, user)
  models = registry.models
  errors = []
})
afterEach(() => {
  watch?.close()
  watch = undefined
  rmSync(dir, { recursive: true, force: true })
})

describe('a served user model folder changed while the engine runs', () => {
  it('serves a re-fitted model written over the folder in place of the old one', () => {
    const w = start()
    const old = byId('hand-ae')!
    expect(w.rescan()).toMatchObject({ loaded: [], replaced: [], removed: [] })
    // Another graph (other weights, other hash) and its card, same id, same folder.
    copyModel(join(modelsDir(), 'skab-ae'), join(user, 'hand-ae'), {
      id: 'hand-ae',
      version: '2.0.0',
      threshold: { value: 0.5, method: 're-fitted' },
    })
    const scan = w.rescan()
    expect(scan).toMatchObject({ loaded: [], replaced: ['hand-ae'], removed: [], errors: [] })
    const now = byId('hand-ae')!
    expect(now).not.toBe(old)
    expect(now.card.version).toBe('2.0.0')
    expect(now.card.threshold.value).toBe(0.5)
    expect(now.card.sha256).not.toBe(old.card.sha256)
    expect(models.filter((m) => m.card.id === 'hand-ae')).toHaveLength(1)
    // Unchanged since: not read again.
    expect(w.rescan().replaced).toEqual([])
  })

  it('is told of the change by the folder watch itself, without models.reload', async () => {
    start()
    copyModel(join(modelsDir(), 'pump-ae'), join(user, 'hand-ae'), { id: 'hand-ae', version: '1.1.0' })
    await until(() => byId('hand-ae')?.card.version === '1.1.0', 10_000, 'version 1.1.0 served')
  })

  it('keeps serving the old model while the new copy does not load, naming the folder', () => {
    const w = start()
    const old = byId('hand-ae')!
    const onnx = readFileSync(join(modelsDir(), 'skab-ae', 'model.onnx'))
    const card = JSON.parse(readFileSync(join(modelsDir(), 'skab-ae', 'model.json'), 'utf8'))
    // Card first, then half the graph: what a copy in progress leaves.
    writeFileSync(
      join(user, 'hand-ae', 'model.json'),
      JSON.stringify({ ...card, id: 'hand-ae', version: '2.0.0' }),
    )
    writeFileSync(join(user, 'hand-ae', 'model.onnx'), onnx.subarray(0, onnx.length >> 1))
    for (let i = 0; i < 2; i++) {
      const scan = w.rescan()
      expect(scan.replaced).toEqual([])
      expect(byId('hand-ae')).toBe(old)
      expect(scan.errors).toHaveLength(1)
      expect(scan.errors[0]!.folder).toBe(join(user, 'hand-ae'))
      expect(scan.errors[0]!.message).toMatch(/hand-ae[\\/]model\.onnx: sha256 is/)
      expect(errors).toEqual(scan.errors)
    }
    writeFileSync(join(user, 'hand-ae', 'model.onnx'), onnx)
    const done = w.rescan()
    expect(done).toMatchObject({ replaced: ['hand-ae'], errors: [] })
    expect(byId('hand-ae')!.card.version).toBe('2.0.0')
  })

  it('stops serving a deleted folder, says so until it is back, and serves it again then', () => {
    const w = start()
    const folder = join(user, 'hand-ae')
    rmSync(folder, { recursive: true })
    const scan = w.rescan()
    expect(scan.removed).toEqual(['hand-ae'])
    expect(byId('hand-ae')).toBeUndefined()
    expect(scan.errors).toEqual([
      { folder, message: `${folder}: removed while the engine ran; model "hand-ae" is no longer served` },
    ])
    // Said again at the next scan (each replaces the last), not removed twice.
    expect(w.rescan()).toMatchObject({ removed: [], errors: scan.errors })
    copyModel(join(modelsDir(), 'pump-ae'), folder, { id: 'hand-ae', version: '3.0.0' })
    expect(w.rescan()).toMatchObject({ loaded: ['hand-ae'], removed: [], errors: [] })
    expect(byId('hand-ae')!.card.version).toBe('3.0.0')
  })

  it('never replaces or removes a shipped model, whatever happens to its folder', () => {
    const w = start()
    const pump = byId('pump-ae')!
    writeFileSync(join(shipped, 'pump-ae', 'model.json'), JSON.stringify({ ...pump.card, version: '9.9.9' }))
    rmSync(join(shipped, 'skab-ae'), { recursive: true })
    const scan = w.rescan()
    expect(scan).toMatchObject({ loaded: [], replaced: [], removed: [], errors: [] })
    expect(byId('pump-ae')).toBe(pump)
    expect(byId('skab-ae')).toBeDefined()
  })

  it('refuses a re-fit that takes the id of another served model, and keeps the old one', () => {
    const w = start()
    const old = byId('hand-ae')!
    copyModel(join(modelsDir(), 'pump-ae'), join(user, 'hand-ae'), { version: '2.0.0' })
    const scan = w.rescan()
    expect(scan.replaced).toEqual([])
    expect(byId('hand-ae')).toBe(old)
    expect(scan.errors[0]!.message).toMatch(/id "pump-ae" is already taken by/)
  })
})
