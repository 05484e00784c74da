import { describe, expect, it } from 'vitest'
import { RollingStats } from './rolling-stats.ts'

function naive(xs: number[]) {
  const v = xs.filter((x) => !Number.isNaN(x))
  const m = v.reduce((a, b) => a + b, 0) / v.length
  const s = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1))
  return { m, s }
}

describe('RollingStats', () => {
  it('matches a direct computation over the last N samples as the window slides', () => {
    const rs = new RollingStats(1, 5)
    const xs: number[] = []
    const mean = new Float64Array(1)
    const std = new Float64Array(1)
    for (let i = 0; i < 50; i++) {
      const x = 1500 + Math.sin(i) * 2 + (i % 7) * 0.1
      xs.push(x)
      rs.push([Float64Array.of(x)], 0)
      if (i >= 4) {
        rs.read(mean, std)
        const { m, s } = naive(xs.slice(-5))
        expect(mean[0]).toBeCloseTo(m, 9)
        expect(std[0]).toBeCloseTo(s, 9)
      }
    }
  })

  it('skips missing values and reports NaN when the window holds none', () => {
    const rs = new RollingStats(1, 3)
    const mean = new Float64Array(1)
    const std = new Float64Array(1)
    for (const x of [1, NaN, 3]) rs.push([Float64Array.of(x)], 0)
    rs.read(mean, std)
    expect(mean[0]).toBeCloseTo(2, 12)
    for (const x of [NaN, NaN, NaN]) rs.push([Float64Array.of(x)], 0)
    rs.read(mean, std)
    expect(Number.isNaN(mean[0])).toBe(true)
  })

  it('keeps the variance of a small signal on a large offset', () => {
    const rs = new RollingStats(1, 100)
    for (let i = 0; i < 1000; i++) rs.push([Float64Array.of(1e9 + (i % 2))], 0)
    const mean = new Float64Array(1)
    const std = new Float64Array(1)
    rs.read(mean, std)
    expect(std[0]).toBeCloseTo(0.5025, 3)
  })
})
