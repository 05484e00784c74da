import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AssetConfig } from '../../shared/plant.ts'
import type { ScoreBatch } from '../../shared/samples.ts'
import { loadPlantConfig } from '../engine/plant-config.ts'
import { openAutoencoder, type Autoencoder } from '../models/autoencoder.ts'
import { loadModels } from '../models/registry.ts'
import { demoPlantPath, modelsDir } from '../paths.ts'
import { generatePump } from '../sources/simulator/index.ts'
import { AssetScoring } from './asset-scoring.ts'
import { SharedCalls, type CallStats } from './shared-calls.ts'

let ae: Autoencoder
const pump = loadPlantConfig(demoPlantPath()).assets.find((a) => a.id === 'P-101')!
const asset = (id: string): AssetConfig => ({ ...pump, id })
const stats = (): CallStats => ({ modelMs: 0, modelCpuMs: 0, calls: 0, windows: 0, skipped: 0 })

beforeAll(async () => {
  ae = await openAutoencoder(loadModels(modelsDir()).models.find((m) => m.card.id === 'pump-ae')!)
})
afterAll(async () => {
  await ae?.close()
})

/** Three pumps' next 50 readings each, as three batches of 25 per pump. */
function batches() {
  return [1, 2, 3].flatMap((seed) => {
    const b = generatePump({ seed, startMs: Date.UTC(2025, 0, 1), n: 50 })
    const half = (from: number) => ({
      id: `P-${seed}`,
      t: b.t.subarray(from, from + 25),
      values: b.values.map((v) => v.subarray(from, from + 25)),
      quality: b.values.map(() => new Uint8Array(25)),
    })
    return [half(0), half(25)]
  })
}

describe('shared model calls', () => {
  it('scores many assets in a few calls exactly as each asset scored on its own', async () => {
    const alone = new Map<string, AssetScoring>()
    const together = new Map<string, AssetScoring>()
    for (const id of ['P-1', 'P-2', 'P-3']) {
      alone.set(id, new AssetScoring(ae, asset(id)))
      together.set(id, new AssetScoring(ae, asset(id)))
    }
    const list = batches()
    const expected: (ScoreBatch | null)[] = []
    for (const b of list) expected.push(await alone.get(b.id)!.score(b.t, b.values, b.quality))
    const s = stats()
    const shared = await new SharedCalls().run(
      list.map((b) => ({ scorer: together.get(b.id)!, t: b.t, values: b.values, quality: b.quality })),
      16,
      s,
    )
    // 3 pumps x (50 - 29) windows, 16 to a call.
    expect(s.windows).toBe(63)
    expect(s.calls).toBe(4)
    expect(shared.map((x) => x?.t.length ?? 0)).toEqual(expected.map((x) => x?.t.length ?? 0))
    shared.forEach((got, i) => {
      const want = expected[i]
      if (!want) return expect(got).toBeNull()
      expect(got!.assetId).toBe(want.assetId)
      expect(Array.from(got!.t)).toEqual(Array.from(want.t))
      for (let w = 0; w < want.score.length; w++) expect(got!.score[w]).toBeCloseTo(want.score[w]!, 6)
      expect(Array.from(got!.sensorState)).toEqual(Array.from(want.sensorState))
    })
  })

  it('splits the windows into calls of equal size under the cap, and tells of each call', async () => {
    const scorers = new Map(['P-1', 'P-2', 'P-3'].map((id) => [id, new AssetScoring(ae, asset(id))]))
    const sizes: number[] = []
    const s = stats()
    await new SharedCalls({ onCall: (n) => void sizes.push(n) }).run(
      batches().map((b) => ({ scorer: scorers.get(b.id)!, t: b.t, values: b.values, quality: b.quality })),
      40,
      s,
    )
    // 63 windows at a cap of 40: two calls of 32 and 31, not 40 and 23.
    expect(sizes).toEqual([32, 31])
    expect(s.calls).toBe(2)
  })

  it('makes one call per window when the cap is 1, and skips windows by the stride', async () => {
    const one = new AssetScoring(ae, asset('P-1'))
    const [a, b] = batches()
    const s = stats()
    await new SharedCalls().run([{ scorer: one, ...a! }], 1, s)
    expect(s.calls).toBe(0)
    one.stride = 4
    await new SharedCalls().run([{ scorer: one, ...b! }], 1, s)
    // The second half completes 21 windows: 1 in 4 is scored, the rest are counted as skipped.
    expect(s.calls).toBe(s.windows)
    expect(s.windows + s.skipped).toBe(21)
    expect(s.windows).toBe(5)
  })
})
