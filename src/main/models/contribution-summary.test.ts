import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ScoreBatch } from '../../shared/samples.ts'
import { SensorState } from '../../shared/samples.ts'
import { openStore, type Store } from '../store/store.ts'
import { pumpAsset, tempDir } from '../store/test-plant.ts'
import { contributionSummary } from './contribution-summary.ts'

const asset = pumpAsset()
const tags = asset.tags.map((t) => t.id)
const F = tags.length
const T0 = Date.UTC(2025, 0, 1)
let tmp: ReturnType<typeof tempDir>
let store: Store

beforeEach(async () => {
  tmp = tempDir()
  store = await openStore({ path: tmp.file('history.db'), assets: [asset] })
})
afterEach(async () => {
  await store.close().catch(() => {})
  tmp.remove()
})

/**
 * n windows a second apart; every 10th is ANOMALY with tag 1 carrying 70% of the error (and
 * flagged CRITICAL), every 40th of those tag 2 carrying it instead; normal windows share evenly.
 */
function windows(t0: number, n: number, version = '1'): ScoreBatch {
  const anomaly = Uint8Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 1 : 0))
  const contrib = new Float64Array(n * F)
  const sensorState = new Uint8Array(n * F)
  for (let i = 0; i < n; i++) {
    if (!anomaly[i]) contrib.fill(1 / F, i * F, (i + 1) * F)
    else {
      const hot = i % 400 === 0 ? 2 : 1
      for (let j = 0; j < F; j++) contrib[i * F + j] = j === hot ? 0.7 : 0.3 / (F - 1)
      sensorState[i * F + hot] = SensorState.CRITICAL
    }
  }
  return {
    assetId: asset.id,
    modelId: 'pump-ae',
    modelVersion: version,
    tags,
    threshold: 1,
    t: Float64Array.from({ length: n }, (_, i) => t0 + i * 1000),
    score: Float64Array.from(anomaly, (a) => (a ? 2 : 0.5)),
    anomaly,
    contrib,
    sensorState,
    latencyMs: 1,
  }
}

const read = (from: number, to: number, max?: number) =>
  contributionSummary((r) => store.predictions(r), { assetId: asset.id, from, to }, max)

describe('which sensors carry a model error over a range', () => {
  it('counts every window once across pages and model versions, and names the sensor behind the anomalies', async () => {
    // 25,000 windows: more than two pages of the prediction log, the last 5,000 by a new version.
    store.writeScores(windows(T0, 20_000))
    store.writeScores(windows(T0 + 20_000_000, 5_000, '2'))
    await store.flush()
    const [s, ...others] = await read(T0, T0 + 30_000_000)
    expect(others).toEqual([])
    expect(s!.modelId).toBe('pump-ae')
    expect(s!.versions).toEqual(['1', '2'])
    expect(s!.windows).toBe(25_000)
    expect(s!.anomalous).toBe(2_500)
    expect(s!.truncated).toBe(false)
    const [rpm, bearing, vib] = s!.perTag
    // 2,500 anomalous windows, every 40th of them led by vibration instead of bearing temperature.
    expect(bearing!.top).toBe(2_500 - 63)
    expect(vib!.top).toBe(63)
    expect(rpm!.top).toBe(0)
    expect(bearing!.flagged).toBe(2_500 - 63)
    expect(bearing!.anomalousShare!).toBeGreaterThan(0.6)
    expect(bearing!.normalShare!).toBeCloseTo(1 / 3, 9)
    expect(s!.from).toBe(T0)
    expect(s!.to).toBe(T0 + 20_000_000 + 4_999_000)
  })

  it('stops at the window budget and says the answer is cut short', async () => {
    store.writeScores(windows(T0, 15_000))
    await store.flush()
    const [s] = await read(T0, T0 + 20_000_000, 12_000)
    expect(s!.windows).toBe(12_000)
    expect(s!.truncated).toBe(true)
    expect(s!.to).toBe(T0 + 11_999_000)
  })

  it('answers a range without windows with no models, and a model without anomalies with no anomalous share', async () => {
    expect(await read(T0, T0 + 1000)).toEqual([])
    const b = windows(T0, 5)
    b.anomaly.fill(0)
    store.writeScores(b)
    await store.flush()
    const [s] = await read(T0, T0 + 10_000)
    expect(s!.anomalous).toBe(0)
    expect(s!.perTag.map((p) => p.anomalousShare)).toEqual([null, null, null])
  })
})
