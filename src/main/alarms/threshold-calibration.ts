import { VigilError } from '../../shared/errors.ts'
import type { ThresholdCalibration } from '../../shared/threshold-channels.ts'

/*
 * A threshold calibrated on a stretch of normal running: the engineer says "[from, to) was
 * normal for this asset", and the threshold becomes the chosen percentile of the scores its
 * model gave that stretch, as the shipped cards' thresholds are the 99th percentile of their
 * training error. On the SKAB testbed (models/skab-ae/README.md) one card threshold for every
 * day misses three faults in four; the same model calibrated on a few hundred rows of each
 * day's normal running catches most of them. Unlike the verdict rule (threshold-proposal.ts)
 * this may lower the threshold as well as raise it: it is told what normal looks like.
 */

/** Fewer windows than this say too little about the tail a 99th percentile sits in. */
export const MIN_WINDOWS = 100
export const DEFAULT_PERCENTILE = 99
export const PERCENTILE_RANGE = [90, 99.9] as const

export const INTERPOLATION =
  'linear between closest ranks: position (n - 1) x p / 100 in the sorted scores (numpy.percentile default)'

export interface CalibrationInput {
  assetId: string
  modelId: string
  from: number
  to: number
  percentile?: number
  /** The model's kind as the card says; only detectors score windows against a threshold. */
  detector: boolean
  /** The range's window scores, in any order; NaN (no score) is left out and counted. */
  scores: ArrayLike<number>
  /** The model version the scores are of, and how many windows of other versions were left out. */
  modelVersion?: string | null
  otherVersionWindows?: number
  cardThreshold: number
  /** The threshold in force: an accepted one, else the card's. */
  current: number
}

/** The p-th percentile (0..100) of sorted values, interpolated linearly between closest ranks. */
export function percentileOf(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length
  if (n === 0) throw new RangeError('percentile of no values')
  const h = ((n - 1) * p) / 100
  const lo = Math.floor(h)
  const hi = Math.min(n - 1, lo + 1)
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!)
}

/** Windows strictly above the threshold: the pipeline's ANOMALY rule (score > threshold). */
function flaggedBy(sorted: Float64Array, threshold: number): number {
  // First index whose score is above the threshold, by bisection over the sorted scores.
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid]! > threshold) hi = mid
    else lo = mid + 1
  }
  return sorted.length - lo
}

export function calibrateThreshold(c: CalibrationInput): ThresholdCalibration {
  const percentile = c.percentile ?? DEFAULT_PERCENTILE
  const what = `asset "${c.assetId}", model "${c.modelId}", ${iso(c.from)} to ${iso(c.to)}`
  if (!c.detector)
    throw new VigilError(
      'bad-request',
      `cannot calibrate ${what}: "${c.modelId}" is not a window detector, so it has no score threshold to calibrate`,
    )
  if (!(percentile >= PERCENTILE_RANGE[0] && percentile <= PERCENTILE_RANGE[1]))
    throw new VigilError(
      'bad-request',
      `cannot calibrate ${what}: percentile ${percentile} is outside ${PERCENTILE_RANGE[0]}..${PERCENTILE_RANGE[1]}`,
    )
  const kept: number[] = []
  for (let i = 0; i < c.scores.length; i++) if (Number.isFinite(c.scores[i])) kept.push(c.scores[i]!)
  const unscored = c.scores.length - kept.length
  if (kept.length < MIN_WINDOWS)
    throw new VigilError(
      'bad-request',
      `cannot calibrate ${what}: ${kept.length} scored windows in the range${unscored ? ` (${unscored} without a score)` : ''}; calibration needs at least ${MIN_WINDOWS} windows of normal running`,
    )
  const sorted = Float64Array.from(kept).sort()
  const proposed = percentileOf(sorted, percentile)
  const n = sorted.length
  // A threshold of 0 or less would flag every window that has any error at all.
  if (!(proposed > 0))
    throw new VigilError(
      'bad-request',
      `cannot calibrate ${what}: the ${percentile}th percentile of its scores is ${proposed}; a threshold must be above 0`,
    )
  const share = (threshold: number) => {
    const flagged = flaggedBy(sorted, threshold)
    return { threshold, flagged, share: flagged / n }
  }
  return {
    assetId: c.assetId,
    modelId: c.modelId,
    from: c.from,
    to: c.to,
    percentile,
    windows: n,
    unscored,
    modelVersion: c.modelVersion ?? null,
    otherVersionWindows: c.otherVersionWindows ?? 0,
    interpolation: INTERPOLATION,
    proposed: share(proposed),
    current: share(c.current),
    card: share(c.cardThreshold),
    scoreRange: { min: sorted[0]!, median: percentileOf(sorted, 50), max: sorted[n - 1]! },
  }
}

const iso = (t: number) => new Date(t).toISOString()
