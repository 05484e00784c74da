import { describe, expect, it } from 'vitest'
import { PlantConfig } from '../../shared/plant.ts'
import type { PredictionBatch } from '../../shared/samples.ts'
import { Hub } from './hub.ts'
import { latestPrediction } from './latest-prediction.ts'

const plant = PlantConfig.parse({
  name: 'T',
  assets: [
    {
      id: 'K-1',
      name: 'compressor',
      class: 'compressor',
      source: { kind: 'simulator', model: 'compressor' },
      models: ['rul-1', 'ppo-1'],
      tags: [
        { id: 'A', unit: 'bar', min: 0, max: 10 },
        { id: 'B', unit: 'C', min: 0, max: 100 },
      ],
    },
  ],
})

const f64 = (...v: number[]) => Float64Array.from(v)
const rul = (t: number[], life: number[]): PredictionBatch => ({
  assetId: 'K-1',
  modelId: 'rul-1',
  modelVersion: '1',
  kind: 'rul',
  t: f64(...t),
  value: f64(...life),
  threshold: 50,
  flagged: Uint8Array.from(life, (v) => (v < 50 ? 1 : 0)),
  spread: f64(...life.map((v) => v / 10)),
  latencyMs: 2,
})
const advice: PredictionBatch = {
  assetId: 'K-1',
  modelId: 'ppo-1',
  modelVersion: '1',
  kind: 'policy',
  t: f64(100, 200),
  value: f64(NaN, NaN),
  threshold: 0,
  flagged: new Uint8Array(2),
  actions: f64(1, 2, 3, 4),
  actionTags: ['A', 'B'],
  latencyMs: 1,
}

describe('latest prediction per asset and model', () => {
  it('keeps the last row of every column, with the policy actions of that row', () => {
    const last = latestPrediction(advice)
    expect(Array.from(last.t)).toEqual([200])
    expect(Array.from(last.actions!)).toEqual([3, 4])
    const r = latestPrediction(rul([1, 2, 3], [90, 70, 40]))
    expect([r.t[0], r.value[0], r.flagged[0], r.spread![0]]).toEqual([3, 40, 1, 4])
  })

  it("a snapshot carries each predictor's latest prediction, none before the first", () => {
    const hub = new Hub(plant.assets)
    expect(hub.snapshot('K-1', 60)!.predictions).toEqual([])
    hub.predictions(rul([1000, 2000], [120, 110]))
    hub.predictions(advice)
    hub.predictions(rul([3000], [45]))
    const got = hub.snapshot('K-1', 60)!.predictions
    expect(got.map((p) => [p.modelId, p.t[0], p.value[0]])).toEqual([
      ['rul-1', 3000, 45],
      ['ppo-1', 200, NaN],
    ])
    expect(got[0]!.flagged[0]).toBe(1)
  })
})
