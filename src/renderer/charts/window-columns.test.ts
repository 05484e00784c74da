import { describe, expect, it } from 'vitest'
import { ColumnRing } from '../state/column-ring.ts'
import { WindowColumns } from './window-columns.ts'

function ringOf(t: number[], ...cols: number[][]): ColumnRing {
  const ring = new ColumnRing(cols.length, 1000)
  ring.append(
    new Float64Array(t),
    cols.map((c) => new Float64Array(c)),
  )
  return ring
}

describe('WindowColumns', () => {
  it('turns NaN into null gaps and keeps only the rows inside the window', () => {
    const ring = ringOf([1, 2, 3, 4], [10, NaN, 30, 40], [1, 2, 3, 4])
    const w = new WindowColumns(2).fill(ring, 2, [0, 1], 100)
    expect(w.data).toEqual([
      [2, 3, 4],
      [null, 30, 40],
      [2, 3, 4],
    ])
  })

  it('reuses its arrays from frame to frame, shrinking them when the window holds fewer rows', () => {
    const ring = ringOf([1, 2, 3], [1, 2, 3])
    const w = new WindowColumns(1)
    const [x, y] = w.data
    w.fill(ring, 0, [0], 100)
    w.fill(ring, 3, [0], 100)
    expect(w.data[0]).toBe(x)
    expect(w.data[1]).toBe(y)
    expect(w.data).toEqual([[3], [3]])
  })

  it('keeps a one-sample spike when it decimates a long window to min and max per bucket', () => {
    const n = 1000
    const t = Array.from({ length: n }, (_, i) => i)
    const v = Array.from({ length: n }, () => 1)
    v[537] = 99
    v[100] = NaN
    const w = new WindowColumns(1).fill(ringOf(t, v), 0, [0], 50)
    expect(w.length).toBeLessThanOrEqual(50)
    expect(Math.max(...(w.ys[0]!.filter((y) => y !== null) as number[]))).toBe(99)
    expect(w.x[0]).toBe(0)
    expect(w.x[w.length - 1]).toBe(n - 1)
    // x stays ascending, which uPlot requires.
    for (let i = 1; i < w.length; i++) expect(w.x[i]!).toBeGreaterThan(w.x[i - 1]!)
  })
})
