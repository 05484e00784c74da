import { describe, expect, it } from 'vitest'
import { newIntervals } from './rollup-codec.ts'
import { coarsen, foldSamples } from './rollup-fold.ts'
import { KEPT_LEVEL, LEVELS, MAX_ROWS_PER_BUCKET, SOURCE, chooseGrid, finestLevel } from './rollup-levels.ts'

const T0 = Date.UTC(2025, 0, 1)

/** Min, max, sum, count and quality OR per interval, one sample at a time. */
function direct(t: Float64Array, v: Float64Array, q: Uint8Array, interval: number) {
  const out = new Map<number, { min: number; max: number; sum: number; cnt: number; q: number }>()
  t.forEach((x, i) => {
    const k = Math.floor(x / interval)
    const o = out.get(k) ?? { min: NaN, max: NaN, sum: 0, cnt: 0, q: 0 }
    o.q |= q[i]!
    const y = v[i]!
    if (y === y) {
      o.min = o.cnt === 0 ? y : Math.min(o.min, y)
      o.max = o.cnt === 0 ? y : Math.max(o.max, y)
      o.sum += y
      o.cnt++
    }
    out.set(k, o)
  })
  return out
}

function irregular(n: number, seed: number) {
  let s = seed
  const rand = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
  const t = new Float64Array(n)
  let x = T0 + 777
  for (let i = 0; i < n; i++) t[i] = x += Math.floor(rand() * 3000)
  const v = Float64Array.from(t, () => (rand() < 0.05 ? NaN : Math.round(rand() * 1000) / 8))
  const q = Uint8Array.from(t, () => (rand() < 0.03 ? 2 : 0))
  return { t, v, q }
}

describe('rollup folding', () => {
  it('folds samples into intervals exactly as one-at-a-time arithmetic does, NaN and quality included', () => {
    const { t, v, q } = irregular(4000, 7)
    for (const interval of [1000, 30_000, 3_600_000]) {
      const out = newIntervals(8192)
      foldSamples(t, v, q, 0, t.length, interval, out)
      const want = direct(t, v, q, interval)
      for (let j = 0; j < out.n; j++) {
        const w = want.get(out.first + j) ?? { min: NaN, max: NaN, sum: 0, cnt: 0, q: 0 }
        expect([out.min[j], out.max[j], out.cnt[j], out.q[j]]).toEqual([w.min, w.max, w.cnt, w.q])
        expect(out.sum[j]).toBeCloseTo(w.sum, 6)
      }
    }
  })

  it('coarsens every level from the finer one it is built from without changing min, max or count', () => {
    const { t, v, q } = irregular(4000, 11)
    const fine = LEVELS.map(() => newIntervals(8192))
    LEVELS.forEach((l, i) => {
      const src = SOURCE[i]!
      if (src < 0) foldSamples(t, v, q, 0, t.length, l, fine[i]!)
      else coarsen(fine[src]!, l / LEVELS[src]!, fine[i]!)
      const want = direct(t, v, q, l)
      const got = fine[i]!
      for (let j = 0; j < got.n; j++) {
        const w = want.get(got.first + j) ?? { min: NaN, max: NaN, cnt: 0, q: 0 }
        expect([got.min[j], got.max[j], got.cnt[j], got.q[j]]).toEqual([w.min, w.max, w.cnt, w.q])
      }
    })
    // Every level divides a day and is built from one that divides it.
    LEVELS.forEach((l, i) => {
      expect(86_400_000 % l).toBe(0)
      if (SOURCE[i]! >= 0) expect(l % LEVELS[SOURCE[i]!]!).toBe(0)
    })
  })

  it('starts a block at the finest level holding 16 samples an interval: 30 s at 1 Hz, 1 s at 100 Hz, a minute for slow tags', () => {
    const at = (hz: number, n: number) => Float64Array.from({ length: n }, (_, i) => T0 + (i * 1000) / hz)
    expect(LEVELS[finestLevel(at(1, 4096), 0, 4096)]).toBe(30_000)
    expect(LEVELS[finestLevel(at(100, 4096), 0, 4096)]).toBe(1_000)
    expect(LEVELS[finestLevel(at(0.01, 36), 0, 36)]).toBe(LEVELS[KEPT_LEVEL])
  })

  it('picks a grid of 2 to 4 intervals per bucket with at most maxPoints buckets and at least two thirds of them', () => {
    for (const maxPoints of [100, 1000, 2000]) {
      for (let span = 3_600_000; span < 4e10; span *= 1.3) {
        if (span / maxPoints < 2000) continue
        const from = T0 + 12_345
        const g = chooseGrid(from, from + span, maxPoints)!
        expect(g.buckets).toBeLessThanOrEqual(maxPoints)
        expect(g.buckets).toBeGreaterThanOrEqual(Math.min((2 / 3) * maxPoints - 2, span / 86_400_000 / 2))
        expect(g.k).toBeGreaterThanOrEqual(2)
        if (g.level < LEVELS.length - 1) expect(g.k).toBeLessThanOrEqual(MAX_ROWS_PER_BUCKET)
        expect(g.start).toBeLessThanOrEqual(from)
        expect(g.start + g.buckets * g.width).toBeGreaterThanOrEqual(from + span)
        expect(g.start % g.width).toBe(0)
      }
    }
    // A month to 2000 points: 30-minute buckets of three 10-minute intervals.
    const month = chooseGrid(T0, T0 + 30 * 86_400_000, 2000)!
    expect([LEVELS[month.level], month.k, month.buckets]).toEqual([600_000, 3, 1440])
    expect(chooseGrid(T0, T0 + 60_000, 1000)).toBeNull()
  })
})
