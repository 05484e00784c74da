import { describe, expect, it } from 'vitest'
import { joinTables, pointsPerPixel } from './history-frame.ts'

const f = (...v: number[]) => new Float64Array(v)

describe('history tables as uPlot columns', () => {
  it('turns NaN buckets into null gaps and leaves numbers alone', () => {
    const data = joinTables([{ t: f(0, 10, 20), cols: [f(1, NaN, 3), f(0.5, NaN, 2.5)] }])
    expect(data).toEqual([
      [0, 10, 20],
      [1, null, 3],
      [0.5, null, 2.5],
    ])
  })

  it('lays a compared period over the current one by its shift, joining the two time grids', () => {
    const week = 7 * 86_400_000
    const now = { t: f(week + 0, week + 10, week + 20), cols: [f(1, 2, NaN)] }
    const before = { t: f(5, 15), cols: [f(7, 8)], shift: week }
    const [x, a, b] = joinTables([now, before])
    expect(x).toEqual([week, week + 5, week + 10, week + 15, week + 20])
    // Rows the other table added are undefined (spanned); a table's own gap stays null.
    expect(a).toEqual([1, undefined, 2, undefined, null])
    expect(b).toEqual([undefined, 7, undefined, 8, undefined])
  })

  it('keeps one row for a time both tables hold', () => {
    const [x, a, b] = joinTables([
      { t: f(0, 10), cols: [f(1, 2)] },
      { t: f(10, 20), cols: [f(3, 4)] },
    ])
    expect(x).toEqual([0, 10, 20])
    expect(a).toEqual([1, 2, undefined])
    expect(b).toEqual([undefined, 3, 4])
  })

  it('counts the points inside the plotted range per pixel', () => {
    const data = joinTables([{ t: f(-5, 0, 1, 2, 3, 10), cols: [f(1, 1, 1, 1, 1, 1)] }])
    expect(pointsPerPixel(data, 0, 3, 2)).toBe(2)
  })
})
