import { describe, expect, it } from 'vitest'
import { ColumnRing } from './column-ring.ts'

describe('ColumnRing', () => {
  it('keeps only the newest rows once full and returns them oldest first', () => {
    const r = new ColumnRing(3, [
      { kind: 'f64', width: 1 },
      { kind: 'f64', width: 2 },
    ])
    r.append([Float64Array.of(1, 2), Float64Array.of(10, 11, 20, 21)], 2)
    r.append([Float64Array.of(3, 4), Float64Array.of(30, 31, 40, 41)], 2)
    expect(r.length).toBe(3)
    const [t, w] = r.since(-Infinity)
    expect(Array.from(t!)).toEqual([2, 3, 4])
    expect(Array.from(w!)).toEqual([20, 21, 30, 31, 40, 41])
  })

  it('returns the rows at or after a time by binary search', () => {
    const r = new ColumnRing(10, [
      { kind: 'f64', width: 1 },
      { kind: 'u8', width: 1 },
    ])
    r.append([Float64Array.of(100, 200, 300, 400), Uint8Array.of(0, 1, 0, 8)], 4)
    const [t, q] = r.since(250)
    expect(Array.from(t!)).toEqual([300, 400])
    expect(q).toBeInstanceOf(Uint8Array)
    expect(Array.from(q!)).toEqual([0, 8])
    expect(r.since(1000)[0]!.length).toBe(0)
  })

  it('takes a batch larger than its capacity by keeping the tail', () => {
    const r = new ColumnRing(2, [{ kind: 'f64', width: 1 }])
    r.append([Float64Array.of(1, 2, 3, 4, 5)], 5)
    expect(Array.from(r.since(-Infinity)[0]!)).toEqual([4, 5])
  })
})
