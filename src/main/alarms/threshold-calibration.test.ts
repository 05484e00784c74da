import { describe, expect, it } from 'vitest'
import { VigilError } from '../../shared/errors.ts'
import {
  calibrateThreshold,
  MIN_WINDOWS,
  percentileOf,
  type CalibrationInput,
} from './threshold-calibration.ts'

const FROM = Date.UTC(2025, 6, 1, 8)
const TO = FROM + 3_600_000

/** 0.001, 0.002, ... 0.2 shuffled: the percentiles have a closed form to check against. */
function ramp(n = 200): Float64Array {
  const x = Float64Array.from({ length: n }, (_, i) => (i + 1) / 1000)
  // A fixed shuffle, so nothing depends on the input being sorted.
  for (let i = n - 1; i > 0; i--) {
    const j = (i * 7919) % (i + 1)
    ;[x[i], x[j]] = [x[j]!, x[i]!]
  }
  return x
}

const input = (o: Partial<CalibrationInput> = {}): CalibrationInput => ({
  assetId: 'P-101',
  modelId: 'pump-ae',
  from: FROM,
  to: TO,
  detector: true,
  scores: ramp(),
  cardThreshold: 0.15,
  current: 0.1,
  ...o,
})

const refusal = (o: Partial<CalibrationInput>) => {
  try {
    calibrateThreshold(input(o))
  } catch (e) {
    expect(e).toBeInstanceOf(VigilError)
    return (e as VigilError).message
  }
  throw new Error('not refused')
}

describe('threshold calibrated on normal running', () => {
  it('interpolates percentiles linearly between closest ranks, as numpy.percentile does', () => {
    const sorted = Float64Array.from({ length: 200 }, (_, i) => (i + 1) / 1000)
    // numpy.percentile(np.arange(1, 201) / 1000, [99, 90, 99.9, 50]).
    expect(percentileOf(sorted, 99)).toBeCloseTo(0.19801, 12)
    expect(percentileOf(sorted, 90)).toBeCloseTo(0.1801, 12)
    expect(percentileOf(sorted, 99.9)).toBeCloseTo(0.199801, 12)
    expect(percentileOf(sorted, 50)).toBeCloseTo(0.1005, 12)
    expect(percentileOf(sorted, 100)).toBe(0.2)
    expect(percentileOf([3], 99)).toBe(3)
  })

  it('proposes the 99th percentile by default, with what it, the threshold in force and the card flag', () => {
    const c = calibrateThreshold(input())
    expect(c).toMatchObject({ percentile: 99, windows: 200, unscored: 0, from: FROM, to: TO })
    expect(c.proposed.threshold).toBeCloseTo(0.19801, 12)
    // Above 0.19801: only 0.199 and 0.2. Above 0.1: 100 windows; above 0.15: 50.
    expect(c.proposed).toMatchObject({ flagged: 2, share: 0.01 })
    expect(c.current).toEqual({ threshold: 0.1, flagged: 100, share: 0.5 })
    expect(c.card).toEqual({ threshold: 0.15, flagged: 50, share: 0.25 })
    expect(c.scoreRange).toEqual({ min: 0.001, median: expect.closeTo(0.1005, 12), max: 0.2 })
    expect(c.interpolation).toMatch(/linear between closest ranks/)
  })

  it('counts a window at exactly the threshold as normal (the pipeline alarms above it)', () => {
    const c = calibrateThreshold(input({ scores: ramp(), current: 0.2, cardThreshold: 0.199 }))
    expect([c.current.flagged, c.card.flagged]).toEqual([0, 1])
  })

  it('takes another percentile and leaves windows without a score out, counting them', () => {
    const scores = [...ramp(), NaN, NaN, NaN]
    const c = calibrateThreshold(input({ scores, percentile: 90 }))
    expect([c.windows, c.unscored, c.percentile]).toEqual([200, 3, 90])
    expect(c.proposed.threshold).toBeCloseTo(0.1801, 12)
    expect(c.proposed.flagged).toBe(20)
  })

  it('refuses a range with too few windows, naming asset, model and range', () => {
    const few = ramp(MIN_WINDOWS - 1)
    const m = refusal({ scores: [...few, NaN] })
    expect(m).toContain(
      'asset "P-101", model "pump-ae", 2025-07-01T08:00:00.000Z to 2025-07-01T09:00:00.000Z',
    )
    expect(m).toMatch(/99 scored windows in the range \(1 without a score\); calibration needs at least 100/)
    // Exactly the minimum is enough.
    expect(calibrateThreshold(input({ scores: ramp(MIN_WINDOWS) })).windows).toBe(MIN_WINDOWS)
  })

  it('refuses a model that is not a detector, a percentile out of range and a zero threshold', () => {
    expect(refusal({ detector: false, modelId: 'compressor-rul' })).toMatch(
      /model "compressor-rul".*not a window detector/,
    )
    expect(refusal({ percentile: 100 })).toMatch(/percentile 100 is outside 90\.\.99\.9/)
    expect(refusal({ percentile: 80 })).toMatch(/percentile 80 is outside/)
    expect(refusal({ scores: new Float64Array(200) })).toMatch(/99th percentile of its scores is 0/)
  })
})
