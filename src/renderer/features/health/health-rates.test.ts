import { describe, expect, it } from 'vitest'
import type { Health } from '../../../shared/contract.ts'
import { formatRate, ratesBetween } from './health-rates.ts'

function health(
  samplesIn: number,
  windowsScored: number,
  perAsset: [string, number][],
  startedAt = 1,
): Health {
  const none = { p50: 0, p95: 0, p99: 0 }
  return {
    startedAt,
    samplesIn,
    windowsScored,
    samplesStored: samplesIn,
    dropped: 0,
    workerRestarts: 0,
    batchesRetried: 0,
    batchesLost: 0,
    pipelineLatencyMs: none,
    dbBytes: 0,
    sources: [],
    models: [],
    modelErrors: [],
    clients: 1,
    assets: perAsset.map(([assetId, n]) => ({ assetId, samplesIn: n, lastSampleAt: null })),
  }
}

describe('throughput from successive health readings', () => {
  it('divides the change in the running counts by the time between answers, per asset too', () => {
    const r = ratesBetween(
      { h: health(1000, 100, [['P-101', 1000]]), at: 10_000 },
      {
        h: health(1600, 130, [
          ['P-101', 1400],
          ['imported', 200],
        ]),
        at: 12_000,
      },
    )!
    expect(r.samplesPerS).toBe(300)
    expect(r.windowsPerS).toBe(15)
    expect(r.storedPerS).toBe(300)
    // An asset first seen in the newer reading has no rate yet.
    expect(r.perAsset).toEqual({ 'P-101': 200 })
  })

  it('gives no rate for a first reading, no time passed, or an engine that restarted between readings', () => {
    const cur = { h: health(10, 1, []), at: 5 }
    expect(ratesBetween(null, cur)).toBeNull()
    expect(ratesBetween(cur, cur)).toBeNull()
    expect(ratesBetween({ h: health(5000, 9, [], 0), at: 1 }, cur)).toBeNull()
  })

  it('prints rates without a wall of digits', () => {
    expect(formatRate(1250.4)).toBe('1,250')
    expect(formatRate(12.34)).toBe('12.3')
    expect(formatRate(0.5)).toBe('0.50')
    expect(formatRate(undefined)).toBe('—')
  })
})
