import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Q } from '../../../shared/quality.ts'
import { openStore, type Store } from '../../store/store.ts'
import { batchOf, pumpAsset, tempDir } from '../../store/test-plant.ts'
import { loadModel } from '../registry.ts'
import { fitFromHistory, type FitFromHistoryDeps } from './fit-from-history.ts'

const asset = pumpAsset('P-7', ['Motor_RPM', 'Bearing_Temperature_C', 'Vibration_mm_s', 'Setpoint'])
const T0 = Date.UTC(2025, 0, 1)
let tmp: ReturnType<typeof tempDir>
let store: Store
let deps: FitFromHistoryDeps

beforeEach(async () => {
  tmp = tempDir()
  store = await openStore({ path: tmp.file('history.db'), assets: [asset] })
  deps = { range: (r) => store.range(r), userModelsDir: tmp.file('models'), takenIds: ['pump-ae'] }
  // Three tags that move together with noise, and a setpoint that never moves; every 50th
  // sample of the bearing temperature is flagged stuck by validation.
  const noise = (i: number, k: number) => Math.sin(i * 12.9898 + k * 78.233) * 0.05
  const b = batchOf(
    asset.id,
    4,
    T0,
    2000,
    1000,
    (k, i) => (k === 3 ? 50 : (k + 1) * Math.sin(i / 40) + noise(i, k)),
    (k, i) => (k === 1 && i % 50 === 0 ? Q.STUCK : 0),
  )
  store.writeSamples(b)
  await store.flush()
})
afterEach(async () => {
  await store.close().catch(() => {})
  tmp.remove()
})

describe('fitting a baseline detector on stored history', () => {
  it('writes a model folder the registry loads, leaving out flat tags and bad-quality rows', async () => {
    const r = await fitFromHistory({ assetId: asset.id, from: T0, to: T0 + 2_000_000 }, deps)
    expect(r.card.id).toBe('p-7-pca')
    expect(r.dir).toBe(join(tmp.file('models'), 'p-7-pca'))
    expect(r.card.inputs.tags).toEqual(['Motor_RPM', 'Bearing_Temperature_C', 'Vibration_mm_s'])
    expect(r.rows).toBe(2000 - 40)
    expect(r.skippedRows).toBe(40)
    expect(r.active).toBe(false)
    expect(r.message).toMatch(/add "p-7-pca" to the models of P-7 in the plant configuration and restart/)
    expect(r.card.training.notes).toEqual(['left out Setpoint: constant or without values over the range'])
    const loaded = loadModel(r.dir)
    expect(loaded.card).toEqual(r.card)
  })

  it('fits the autoencoder when asked (method "ae"), as an autoencoder folder the registry loads', async () => {
    const r = await fitFromHistory({ assetId: asset.id, from: T0, to: T0 + 600_000, method: 'ae' }, deps)
    expect(r.card).toMatchObject({
      id: 'p-7-ae',
      kind: 'autoencoder',
      inputs: { tags: ['Motor_RPM', 'Bearing_Temperature_C', 'Vibration_mm_s'], window: 5 },
      training: { method: 'autoencoder', rows: 600 - 12 },
    })
    expect(r.skippedRows).toBe(12)
    expect(loadModel(r.dir).card).toEqual(r.card)
  })

  it('fits exactly the tags asked for, under the id asked for', async () => {
    const r = await fitFromHistory(
      {
        assetId: asset.id,
        from: T0,
        to: T0 + 1_000_000,
        tags: ['Motor_RPM', 'Vibration_mm_s'],
        id: 'p7-base',
      },
      deps,
    )
    expect(r.card.inputs.tags).toEqual(['Motor_RPM', 'Vibration_mm_s'])
    expect(r.rows).toBe(1000)
    expect(existsSync(join(tmp.file('models'), 'p7-base', 'model.onnx'))).toBe(true)
  })

  it('refuses to shadow a loaded model, to overwrite an earlier fit, or to fit without a models folder', async () => {
    const req = { assetId: asset.id, from: T0, to: T0 + 1_000_000 }
    await expect(fitFromHistory({ ...req, id: 'pump-ae' }, deps)).rejects.toThrow(/"pump-ae" is taken/)
    await fitFromHistory(req, deps)
    await expect(fitFromHistory(req, deps)).rejects.toThrow(/p-7-pca already exists/)
    await expect(fitFromHistory(req, { ...deps, userModelsDir: undefined })).rejects.toThrow(
      /without a folder for fitted models/,
    )
  })

  it('names the range when it holds too few samples', async () => {
    await expect(fitFromHistory({ assetId: asset.id, from: T0, to: T0 + 10_000 }, deps)).rejects.toThrow(
      /P-7 holds 10 samples from 2025-01-01T00:00:00.000Z to 2025-01-01T00:00:10.000Z; a fit needs at least 20/,
    )
  })
})
