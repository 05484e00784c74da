import { describe, expect, it } from 'vitest'
import { rng } from '../../../bench/harness.ts'
import { buildup, meanShares, type ScoreTrack } from './buildup.ts'

/** Windows every second: noise around 0.1 until `rise`, then a ramp crossing threshold 1 at `cross`. */
function track(n: number, rise: number, cross: number): ScoreTrack {
  const r = rng(7)
  const F = 3
  const s: ScoreTrack = {
    tags: ['a', 'b', 'c'],
    t: Float64Array.from({ length: n }, (_, i) => 1_000_000 + i * 1000),
    score: new Float64Array(n),
    threshold: new Float64Array(n).fill(1),
    anomaly: new Uint8Array(n),
    contrib: new Float64Array(n * F),
  }
  for (let i = 0; i < n; i++) {
    const ramp = i < rise ? 0 : ((i - rise) / (cross - rise)) * 0.9
    s.score[i] = 0.1 + 0.02 * (r() - 0.5) + ramp
    s.anomaly[i] = s.score[i]! > 1 ? 1 : 0
    // Tag b carries the error once the ramp starts.
    const b = i < rise ? 1 / 3 : 0.7
    s.contrib.set([(1 - b) / 2, b, (1 - b) / 2], i * F)
  }
  return s
}

describe('buildup', () => {
  it('finds when the score left its normal band and when it crossed the threshold', () => {
    const s = track(3000, 2000, 2600)
    const b = buildup(s, s.t[2900]!)
    expect(b.anomalousSince).toBe(s.t.find((_, i) => s.anomaly[i] === 1))
    // The ramp leaves a band of ~0.1 +- 0.03 within a few dozen windows of its start.
    expect(b.risingSince! - s.t[2000]!).toBeGreaterThanOrEqual(0)
    expect(b.risingSince! - s.t[2000]!).toBeLessThan(60_000)
    expect(b.normalBand!).toBeGreaterThan(0.1)
    expect(b.normalBand!).toBeLessThan(0.2)
    expect(b.trend).toBe('rising')
    const shares = meanShares(s, b.runStart, b.end)
    expect(shares.share[1]).toBeCloseTo(0.7)
    expect(shares.normal[1]).toBeLessThan(0.5)
  })

  it('reports nothing building on a normal stretch, and nothing at all before the first window', () => {
    const s = track(3000, 2000, 2600)
    const b = buildup(s, s.t[1500]!)
    expect(b.anomalousSince).toBeNull()
    expect(b.score).toBeCloseTo(0.1, 1)
    expect(buildup(s, s.t[0]! - 1).score).toBeNull()
  })
})
