import { describe, expect, it } from 'vitest'
import { VigilError } from '../../../shared/errors.ts'
import { fitAutoencoder, rowScores, windowScores } from './ae-fit.ts'
import { correlatedColumns, rowMajor } from './synthetic.ts'

const F = 6
const tags = Array.from({ length: F }, (_, j) => `tag_${j}`)
const cols = correlatedColumns(1200, F, 2, 23)
const train = cols.map((c) => c.subarray(0, 600))
const opts = { window: 4, epochs: 80 }
const model = fitAutoencoder(train, tags, opts)

/** Window scores of rows (columns) the model has not seen; `shift` moves one tag by its spreads. */
function scoresOf(shiftTag = -1, spreads = 0): Float64Array {
  const test = cols.map((c, j) =>
    Float64Array.from(c.subarray(600), (v) => v + (j === shiftTag ? spreads * model.std[j]! : 0)),
  )
  const n = test[0]!.length
  return windowScores(
    rowScores(model, rowMajor(test), n),
    Int32Array.from({ length: n }, (_, i) => i),
    model.window,
  )
}
const share = (a: Float64Array, t: number) => a.reduce((s, v) => s + (v > t ? 1 : 0), 0) / a.length

describe('fitting the autoencoder', () => {
  it('gives the same weights for the same rows and seed, and others for another seed', () => {
    const again = fitAutoencoder(train, tags, opts)
    expect(again.net.w.map((w) => Array.from(w))).toEqual(model.net.w.map((w) => Array.from(w)))
    expect(again.threshold).toBe(model.threshold)
    const other = fitAutoencoder(train, tags, { ...opts, seed: 2 })
    expect(Array.from(other.net.w[0]!)).not.toEqual(Array.from(model.net.w[0]!))
  })

  it('narrows to a code of the principal components for 90 % of the variance and stops on the held-out tail', () => {
    expect(model.net.sizes).toEqual([F, 12, 2, 12, F])
    expect(model.training).toMatchObject({ rows: 600, fitRows: 480, holdoutRows: 120, windows: 597 })
    expect(model.training.bestEpoch).toBeGreaterThan(5)
    expect(model.training.bestEpoch).toBeLessThanOrEqual(model.training.epochs)
    // Two latent drivers plus noise: the code keeps the drivers, so the error is near the noise.
    expect(model.training.holdoutLoss).toBeLessThan(0.2)
  })

  it('sets the threshold at the 99th percentile of the training windows, so about 1 % of them pass it', () => {
    expect(model.training.alarmRate).toBeGreaterThan(0)
    expect(model.training.alarmRate).toBeLessThanOrEqual(0.011)
    expect(share(scoresOf(), model.threshold)).toBeLessThan(0.05)
  })

  it('counts every tag in units of its normal error, so each holds the same baseline', () => {
    const b = model.errorBaseline
    for (let j = 0; j < F; j++) expect(b[j]! / b[0]!).toBeCloseTo(1, 6)
  })

  it('flags nearly every window once one tag leaves its correlation with the others by 3 spreads', () => {
    for (const tag of [0, 3, 5])
      expect(share(scoresOf(tag, 3), model.threshold), tags[tag]).toBeGreaterThan(0.9)
  })

  it('leaves rows with a missing value out, and never lets a window bridge them', () => {
    const holed = train.map((c, j) => Float64Array.from(c, (v, i) => (j === 2 && i % 100 === 50 ? NaN : v)))
    const m = fitAutoencoder(holed, tags, opts)
    expect(m.training.skippedRows).toBe(6)
    // 594 rows in 7 runs (50, 99 x 5, 49 rows) give 47 + 5 x 96 + 46 windows of 4.
    expect(m.training.windows).toBe(47 + 5 * 96 + 46)
  })

  it('refuses too few rows, a bad window or code, naming the figure', () => {
    const few = train.map((c) => c.subarray(0, 12))
    expect(() => fitAutoencoder(few, tags)).toThrow(/12 complete rows of 6 tags .* needs at least 25/)
    expect(() => fitAutoencoder(train, tags, { window: 0 })).toThrow(/window 0 is not a whole number/)
    expect(() => fitAutoencoder(train, tags, { bottleneck: 40 })).toThrow(VigilError)
    expect(() => fitAutoencoder(train, tags, { percentile: 100 })).toThrow(/percentile 100/)
  })
})
