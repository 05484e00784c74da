import { describe, expect, it } from 'vitest'
import { resampleSequence } from './resample-sequence.ts'

const f64 = (a: number[]) => Float64Array.from(a)
/** Column j of a row-major [steps][tags] result. */
const col = (out: Float64Array, tags: number, j: number) =>
  Array.from({ length: out.length / tags }, (_, k) => out[k * tags + j]!)

describe('resampleSequence', () => {
  it('puts steps evenly from the first to the last time and interpolates linearly in time, not in index', () => {
    // Uneven sampling: a linear signal in time must come out linear whatever the spacing.
    const t = f64([1000, 1100, 1700, 3000, 5000])
    const line = f64([...t].map((x) => 2 + 0.01 * (x - 1000)))
    const out = resampleSequence(t, [line, f64([5, 5, 5, 5, 5])], 5)
    expect(col(out, 2, 0)).toEqual([2, 12, 22, 32, 42])
    expect(col(out, 2, 1)).toEqual([5, 5, 5, 5, 5])
  })

  it('writes rows as [step][tag], the order of an ONNX [batch, window, tags] input', () => {
    const out = resampleSequence(f64([0, 10]), [f64([0, 10]), f64([100, 0]), f64([1, 1])], 3)
    expect([...out]).toEqual([0, 100, 1, 5, 50, 1, 10, 0, 1])
  })

  it('interpolates across NaN gaps, holds the nearest valid value at the ends, and gives NaN for an empty tag', () => {
    const t = f64([0, 1, 2, 3, 4])
    const gappy = f64([NaN, 1, NaN, NaN, 4])
    const none = f64([NaN, NaN, NaN, NaN, NaN])
    const out = resampleSequence(t, [gappy, none], 9)
    expect(col(out, 2, 0)).toEqual([1, 1, 1, 1.5, 2, 2.5, 3, 3.5, 4])
    expect(col(out, 2, 1).every((x) => Number.isNaN(x))).toBe(true)
  })

  it('matches a step exactly where a sample lies, and a single sample fills every step', () => {
    const out = resampleSequence(f64([0, 3, 6]), [f64([7, 9, 11])], 3)
    expect([...out]).toEqual([7, 9, 11])
    expect([...resampleSequence(f64([42]), [f64([3.5])], 4)]).toEqual([3.5, 3.5, 3.5, 3.5])
  })

  it('downsamples a long cast to the window without aliasing a straight ramp', () => {
    const n = 421
    const t = new Float64Array(n).map((_, i) => 1.7e12 + i * 1000)
    const v = new Float64Array(n).map((_, i) => i * 0.5)
    const out = resampleSequence(t, [v], 64)
    // Epoch milliseconds near 1.7e12 carry ~2e-4 ms of rounding: values agree to ~1e-7.
    for (let k = 0; k < 64; k++) expect(out[k]).toBeCloseTo((k * 420 * 0.5) / 63, 6)
  })

  it('fills a given output buffer and refuses one of the wrong size', () => {
    const buf = new Float64Array(4)
    expect(resampleSequence(f64([0, 1]), [f64([0, 1]), f64([2, 3])], 2, 'cast 7', buf)).toBe(buf)
    expect(() => resampleSequence(f64([0, 1]), [f64([0, 1])], 2, 'cast 7', new Float64Array(3))).toThrow(
      /cast 7: output holds 3 values, not 2 steps x 1 tags/,
    )
  })

  it.each([
    [[0, 2, 1], [[1, 2, 3]], 4, /cast 12: timestamps go backwards at sample 2 \(1 after 2\)/],
    [[0, NaN, 2], [[1, 2, 3]], 4, /cast 12: timestamp 1 is NaN/],
    [[0, 1, 2], [[1, 2]], 4, /cast 12: tag 0 has 2 values for 3 timestamps/],
    [[], [[]], 4, /cast 12: has no samples/],
    [[0, 1], [[1, 2]], 1, /cast 12: cannot resample to 1 steps/],
  ])('refuses bad input, naming the unit and the sample: t=%j', (t, cols, steps, msg) => {
    expect(() => resampleSequence(f64(t), cols.map(f64), steps, 'cast 12')).toThrow(msg)
  })
})
