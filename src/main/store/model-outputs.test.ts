import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ScoreBatch } from '../../shared/samples.ts'
import { openStore, type Store } from './store.ts'
import { pumpAsset, tempDir } from './test-plant.ts'

const asset = pumpAsset()
const tags = asset.tags.map((t) => t.id)
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

function scoreBatch(t0: number, n: number, version = '1.0.0', threshold = 0.5): ScoreBatch {
  const score = Float64Array.from({ length: n }, (_, i) => (i === 7 ? NaN : 0.1 + ((i * 37) % 100) / 100))
  return {
    assetId: asset.id,
    modelId: 'pump-ae',
    modelVersion: version,
    tags,
    threshold,
    t: Float64Array.from({ length: n }, (_, i) => t0 + i * 1000),
    score,
    anomaly: Uint8Array.from(score, (s) => (s > threshold ? 1 : 0)),
    contrib: Float64Array.from({ length: n * tags.length }, (_, j) => ((j % 3) + 1) / 6),
    sensorState: Uint8Array.from({ length: n * tags.length }, (_, j) => j % 4),
    latencyMs: 1.25,
  }
}

describe('model outputs in the history store', () => {
  it('round-trips every column of the prediction log, a NaN score included', async () => {
    const a = scoreBatch(T0, 40)
    const b = scoreBatch(T0 + 40_000, 20, '1.1.0', 0.6)
    store.writeScores(a)
    store.writeScores(b)
    await store.flush()
    const logs = await store.predictions({ assetId: asset.id, from: T0, to: T0 + 60_000 })
    expect(logs.map((l) => [l.modelId, l.modelVersion, l.t.length])).toEqual([
      ['pump-ae', '1.0.0', 40],
      ['pump-ae', '1.1.0', 20],
    ])
    logs.forEach((log, i) => {
      const w = [a, b][i]!
      expect(log.tags).toEqual(tags)
      expect(Array.from(log.t)).toEqual(Array.from(w.t))
      expect(Array.from(log.score)).toEqual(Array.from(w.score))
      expect(Array.from(log.anomaly)).toEqual(Array.from(w.anomaly))
      expect(Array.from(log.contrib)).toEqual(Array.from(w.contrib))
      expect(Array.from(log.sensorState)).toEqual(Array.from(w.sensorState))
      expect(new Set(log.threshold)).toEqual(new Set([w.threshold]))
      expect(new Set(log.latencyMs)).toEqual(new Set([1.25]))
    })
    expect(Number.isNaN(logs[0]!.score[7])).toBe(true)
    expect((await store.stats()).predictions).toBe(60)
  })

  it('gives the score history raw when short and as min/max with anomaly counts per bucket when long', async () => {
    const a = scoreBatch(T0, 40)
    const b = scoreBatch(T0 + 40_000, 20, '1.1.0', 0.6)
    store.writeScores(a)
    store.writeScores(b)
    await store.flush()
    const req = { assetId: asset.id, modelId: 'pump-ae', from: T0, to: T0 + 60_000 }
    const [raw] = await store.scores({ ...req, maxPoints: 100 })
    expect(raw).toMatchObject({ modelId: 'pump-ae', modelVersion: '1.1.0', raw: true })
    expect(Array.from(raw!.min)).toEqual([...a.score, ...b.score])
    expect(Array.from(raw!.anomalies)).toEqual([...a.anomaly, ...b.anomaly])

    const [dec] = await store.scores({ ...req, maxPoints: 6 })
    expect(dec!.raw).toBe(false)
    const all = [...a.score, ...b.score]
    const flags = [...a.anomaly, ...b.anomaly]
    for (let k = 0; k < 6; k++) {
      const slice = all.slice(k * 10, k * 10 + 10).filter((x) => x === x)
      expect(dec!.min[k]).toBe(Math.min(...slice))
      expect(dec!.max[k]).toBe(Math.max(...slice))
      expect(dec!.anomalies[k]).toBe(flags.slice(k * 10, k * 10 + 10).reduce((s, x) => s + x, 0))
      expect(dec!.threshold[k]).toBe(k < 4 ? 0.5 : 0.6)
    }
  })

  it('answers a configured model that has not scored yet with an empty series and an unknown one with an error', async () => {
    const req = { assetId: asset.id, from: T0, to: T0 + 1000, maxPoints: 10 }
    const [empty] = await store.scores({ ...req, modelId: 'pump-ae' })
    expect(empty!.t.length).toBe(0)
    await expect(store.scores({ ...req, modelId: 'rul-lstm' })).rejects.toThrow(
      /asset "P-101" has no model "rul-lstm"/,
    )
  })

  it('round-trips events with their data, filtered by asset and kind', async () => {
    store.writeEvents([
      {
        t: T0 + 5,
        assetId: asset.id,
        kind: 'maintenance',
        severity: 'CRITICAL',
        message: 'Bearing temperature 91 C',
        data: { costInr: 67_500 },
      },
      { t: T0 + 1, kind: 'system', severity: 'info', message: 'engine started' },
    ])
    await store.flush()
    const all = await store.events({ from: T0, to: T0 + 10 })
    expect(all.map((e) => e.message)).toEqual(['engine started', 'Bearing temperature 91 C'])
    expect(all[0]).not.toHaveProperty('assetId')
    const maint = await store.events({ assetId: asset.id, kind: 'maintenance', from: T0, to: T0 + 10 })
    expect(maint).toEqual([
      expect.objectContaining({ assetId: 'P-101', severity: 'CRITICAL', data: { costInr: 67_500 } }),
    ])
  })
})
