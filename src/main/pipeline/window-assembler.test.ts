import { describe, expect, it } from 'vitest'
import { WindowAssembler } from './window-assembler.ts'

const cols = (n: number, f = 2) =>
  Array.from({ length: f }, (_, k) => Float64Array.from({ length: n }, (_, i) => i * 10 + k))

describe('WindowAssembler', () => {
  it('emits one window per new sample once the first window is full, oldest row first', () => {
    const wa = new WindowAssembler(3, 2)
    const out = new Float64Array(10 * 6)
    const ends = new Int32Array(10)
    const n = wa.push(cols(5), 0, 5, out, ends)
    expect(n).toBe(3)
    expect(Array.from(ends.subarray(0, 3))).toEqual([2, 3, 4])
    expect(Array.from(out.subarray(0, 6))).toEqual([0, 1, 10, 11, 20, 21])
    expect(Array.from(out.subarray(12, 18))).toEqual([20, 21, 30, 31, 40, 41])
  })

  it('continues across pushes as if the stream were one', () => {
    const wa = new WindowAssembler(3, 2)
    const out = new Float64Array(6)
    const ends = new Int32Array(1)
    const c = cols(4)
    expect(wa.push(c, 0, 2, out, ends)).toBe(0)
    expect(wa.push(c, 2, 3, out, ends)).toBe(1)
    expect(wa.push(c, 3, 4, out, ends)).toBe(1)
    expect(Array.from(out)).toEqual([10, 11, 20, 21, 30, 31])
  })

  it('holds the last good value over a missing one', () => {
    const wa = new WindowAssembler(2, 1)
    const out = new Float64Array(4)
    const ends = new Int32Array(2)
    expect(wa.push([Float64Array.of(1, NaN, 3)], 0, 3, out, ends)).toBe(2)
    expect(Array.from(out)).toEqual([1, 1, 1, 3])
  })

  it('emits only every stride-th window', () => {
    const wa = new WindowAssembler(2, 1, 3)
    const out = new Float64Array(20)
    const ends = new Int32Array(10)
    const n = wa.push([Float64Array.from({ length: 10 }, (_, i) => i)], 0, 10, out, ends)
    expect(Array.from(ends.subarray(0, n))).toEqual([3, 6, 9])
  })

  it('waits until every tag has had a good value', () => {
    const wa = new WindowAssembler(2, 2)
    const out = new Float64Array(8)
    const ends = new Int32Array(2)
    const n = wa.push([Float64Array.of(1, 2, 3), Float64Array.of(NaN, NaN, 5)], 0, 3, out, ends)
    expect(n).toBe(0)
  })
})
