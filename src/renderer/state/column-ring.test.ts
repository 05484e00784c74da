import { describe, expect, it } from 'vitest'
import { ColumnRing } from './column-ring.ts'

const f64 = (...v: number[]) => new Float64Array(v)

function rows(ring: ColumnRing, c = 0): [number, number][] {
  const out: [number, number][] = []
  for (let i = 0; i < ring.length; i++) out.push([ring.t[ring.slot(i)]!, ring.values[c]![ring.slot(i)]!])
  return out
}

describe('ColumnRing', () => {
  it('keeps the newest rows in time order once it wraps past its capacity', () => {
    const ring = new ColumnRing(2, 4)
    ring.append(f64(1, 2, 3), [f64(10, 20, 30), f64(-1, -2, -3)])
    ring.append(f64(4, 5, 6), [f64(40, 50, 60), f64(-4, -5, -6)])
    expect(ring.length).toBe(4)
    expect(rows(ring)).toEqual([
      [3, 30],
      [4, 40],
      [5, 50],
      [6, 60],
    ])
    expect(rows(ring, 1).map(([, v]) => v)).toEqual([-3, -4, -5, -6])
    expect(ring.lastT()).toBe(6)
    expect(ring.latest(0)).toBe(60)
  })

  it('skips rows not newer than the newest held, so a live batch can overlap a snapshot', () => {
    const ring = new ColumnRing(1, 10)
    ring.append(f64(1, 2, 3), [f64(1, 2, 3)])
    const added = ring.append(f64(2, 3, 4, 5), [f64(20, 30, 4, 5)])
    expect(added).toBe(2)
    expect(rows(ring)).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
      [5, 5],
    ])
  })

  it('keeps NaN values as gaps and stores quality beside them', () => {
    const ring = new ColumnRing(1, 3, true)
    ring.append(f64(1, 2), [f64(NaN, 7)], [new Uint8Array([8, 0])])
    expect(Number.isNaN(ring.values[0]![ring.slot(0)]!)).toBe(true)
    expect(ring.quality[0]![ring.slot(0)]).toBe(8)
    expect(ring.latestQuality(0)).toBe(0)
  })

  it('finds the first row at or after a time across the wrap point', () => {
    const ring = new ColumnRing(1, 5)
    for (let t = 1; t <= 8; t++) ring.append(f64(t), [f64(t)])
    // Holds 4..8 with the physical start in the middle of the arrays.
    expect(ring.lowerBound(0)).toBe(0)
    expect(ring.lowerBound(6)).toBe(2)
    expect(ring.lowerBound(6.5)).toBe(3)
    expect(ring.lowerBound(9)).toBe(5)
  })

  it('reads as empty after clear and accepts older times again', () => {
    const ring = new ColumnRing(1, 3)
    ring.append(f64(5, 6), [f64(1, 2)])
    ring.clear()
    expect(ring.length).toBe(0)
    expect(Number.isNaN(ring.lastT())).toBe(true)
    expect(ring.append(f64(1), [f64(9)])).toBe(1)
  })

  it('refuses a capacity below one', () => {
    expect(() => new ColumnRing(1, 0)).toThrow(/capacity must be at least 1/)
  })
})
