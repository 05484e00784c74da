import { describe, expect, it } from 'vitest'
import type { ThresholdCalibration } from '../../../shared/threshold-channels.ts'
import { calibrationAdvice } from './calibration-advice.ts'

const share = (threshold: number, flagged: number) => ({ threshold, flagged, share: flagged / 3600 })
const calibration = (proposed: number, flagged: number): ThresholdCalibration => ({
  assetId: 'P-101',
  modelId: 'pump-ae',
  from: 0,
  to: 3_600_000,
  percentile: 99,
  windows: 3600,
  unscored: 0,
  modelVersion: '1.0.0',
  otherVersionWindows: 0,
  interpolation: 'linear',
  proposed: share(proposed, flagged),
  current: share(0.0708, 4),
  card: share(0.0708, 4),
  scoreRange: { min: 0.01, median: 0.03, max: 0.2 },
})

describe('advice on a calibrated threshold', () => {
  it('warns that a threshold below the card’s raises more alarms, with what each flags', () => {
    expect(calibrationAdvice(calibration(0.05, 36))).toBe(
      "Below the card's threshold (0.07080): on this stretch it flags 36 windows where the card's flags 4, " +
        'and in live running it will raise more alarms than the card was designed for. Apply it only if the ' +
        'stretch was normal running.',
    )
  })

  it('warns that one at twice the card’s or more may have been calibrated on a fault', () => {
    expect(calibrationAdvice(calibration(0.2124, 36))).toMatch(
      /^3\.0 × the card's threshold \(0\.07080\): the card's would flag 4 of these 3600 windows\. If the stretch held a fault/,
    )
  })

  it('says nothing between the card’s threshold and twice it', () => {
    expect(calibrationAdvice(calibration(0.0708, 36))).toBeNull()
    expect(calibrationAdvice(calibration(0.1, 36))).toBeNull()
    expect(calibrationAdvice(calibration(0.1415, 36))).toBeNull()
  })
})
