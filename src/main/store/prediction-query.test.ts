import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PredictionBatch, ScoreBatch } from '../../shared/samples.ts'
import { openStore, type Store } from './store.ts'
import { pumpAsset } from './test-plant.ts'

const dir = mkdtempSync(join(tmpdir(), 'vigil-prediction-log-'))
const assets = [pumpAsset('P-1'), pumpAsset('P-2')]
let store: Store
const DAY = 86_400_000

/** n RUL predictions an hour apart from t0: life 100 - k, latency k + 1 ms, flagged below 95. */
function rul(assetId: string, t0: number, n: number, latency: (k: number) => number): PredictionBatch[] {
  return Array.from({ length: n }, (_, k) => ({
    assetId,
    modelId: 'life',
    modelVersion: '1',
    kind: 'rul' as const,
    t: Float64Array.of(t0 + k * 3_600_000),
    value: Float64Array.of(100 - k),
    threshold: 95,
    flagged: Uint8Array.of(100 - k < 95 ? 1 : 0),
    spread: Float64Array.of(k / 10),
    latencyMs: latency(k),
  }))
}

beforeAll(async () => {
  store = await openStore({ path: join(dir, 'p.db'), assets })
})
afterAll(async () => {
  await store.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('prediction log', () => {
  it('stores every kind of output beside detector windows and reads a model back per asset', async () => {
    for (const b of rul('P-1', 0, 20, (k) => k + 1)) store.writePredictions(b)
    store.writePredictions({
      assetId: 'P-2',
      modelId: 'casts',
      modelVersion: '2',
      kind: 'defect',
      t: Float64Array.of(5, 9),
      value: Float64Array.of(0.2, NaN),
      threshold: 0.5,
      flagged: Uint8Array.of(0, 0),
      confidence: Float64Array.of(0.9, NaN),
      members: { xgb: Float64Array.of(0.1, NaN), lstm: Float64Array.of(0.3, NaN) },
      unit: Float64Array.of(41, 42),
      latencyMs: 0.5,
    })
    const scores: ScoreBatch = {
      assetId: 'P-1',
      modelId: 'ae',
      modelVersion: '1',
      tags: assets[0]!.tags.map((t) => t.id),
      threshold: 1,
      t: Float64Array.of(1, 2, 3, 4),
      score: Float64Array.of(0.5, 2, 0.1, 3),
      anomaly: Uint8Array.of(0, 1, 0, 1),
      contrib: new Float64Array(12).fill(1 / 3),
      sensorState: new Uint8Array(12),
      latencyMs: 0.25,
    }
    store.writeScores(scores)
    await store.flush()

    const [life] = await store.modelPredictions({ assetId: 'P-1', modelId: 'life', from: 0, to: DAY })
    expect(life!.kind).toBe('rul')
    expect([...life!.value]).toEqual(Array.from({ length: 20 }, (_, k) => 100 - k))
    expect(life!.spread![3]).toBeCloseTo(0.3, 12)
    expect(life!.truncated).toBe(false)
    const [casts] = await store.modelPredictions({ assetId: 'P-2', modelId: 'casts', from: 0, to: 10 })
    expect([...casts!.unit!]).toEqual([41, 42])
    expect(casts!.value[1]).toBeNaN()
    expect(casts!.members!.lstm![0]).toBe(0.3)
    const page = await store.modelPredictions({ assetId: 'P-1', modelId: 'life', from: 0, to: DAY, limit: 5 })
    expect(page[0]!.t).toHaveLength(5)
    expect(page[0]!.truncated).toBe(true)
    const [ae] = await store.modelPredictions({ assetId: 'P-1', modelId: 'ae', from: 0, to: 10 })
    expect(ae!.kind).toBe('detector')
    expect([...ae!.flagged]).toEqual([0, 1, 0, 1])
  })

  it('gives each model its count, latency p50 and p99 and the share of outputs past the threshold', async () => {
    const figures = await store.modelFigures({ from: 0, to: DAY })
    const byId = Object.fromEntries(figures.map((f) => [f.modelId, f]))
    // Latencies 1..20 ms: the lower median is the 10th (index floor(0.5 * 19) = 9), p99 index 18.
    expect(byId.life).toMatchObject({
      kind: 'rul',
      count: 20,
      assets: ['P-1'],
      latencyMs: { p50: 10, p99: 19, sampled: false },
      alarmRate: 14 / 20,
      from: 0,
      to: 19 * 3_600_000,
    })
    expect(byId.ae).toMatchObject({ kind: 'detector', count: 4, alarmRate: 0.5, latencyMs: { p50: 0.25 } })
    expect(byId.casts).toMatchObject({ kind: 'defect', count: 2, alarmRate: 0 })
    const one = await store.modelFigures({ modelId: 'life', from: 0, to: 3 * 3_600_000 })
    expect(one).toHaveLength(1)
    expect(one[0]).toMatchObject({ count: 3, alarmRate: 0 })
    await expect(store.modelFigures({ modelId: 'life', assetId: 'P-2', from: 0, to: 1 })).rejects.toThrow(
      /no model "life" has logged predictions for asset "P-2"/,
    )
  })

  it('refuses a prediction batch whose columns disagree, naming the model, asset and column', () => {
    const [b] = rul('P-1', 0, 1, () => 1)
    expect(() => store.writePredictions({ ...b!, spread: Float64Array.of(1, 2) })).toThrow(
      'history: prediction batch of model "life" for asset "P-1": spread must hold 1 predictions, not 2',
    )
    expect(() => store.writePredictions({ ...b!, assetId: 'X' })).toThrow(/no asset "X"/)
  })

  it('drops predictions older than the retention policy, counting back from the newest', async () => {
    for (const b of rul('P-1', 40 * DAY, 1, () => 1)) store.writePredictions(b)
    await store.flush()
    const r = await store.retain({ predictionDays: 30 })
    expect(r.predictions).toBeGreaterThanOrEqual(20)
    const [life] = await store.modelPredictions({ assetId: 'P-1', modelId: 'life', from: 0, to: 50 * DAY })
    expect([...life!.t]).toEqual([40 * DAY])
  })
})
