import { z } from 'zod'

/*
 * Adaptive model thresholds (src/main/alarms/threshold-proposal.ts has the rule): what the
 * operators' verdicts propose for each asset's model, and the engineer's acceptance, which
 * takes effect for that asset and model at once and is written to the audit trail.
 */

const res = <T>() => z.custom<T>(() => true)
const Id = z.string().min(1).max(100)

export interface ThresholdProposal {
  assetId: string
  modelId: string
  /** The model card's threshold, and the one in force (an accepted one, else the card's). */
  cardThreshold: number
  current: number
  /** Null when the verdicts do not support a change; `reason` says why. */
  proposed: number | null
  verdicts: number
  truePositives: number
  falsePositives: number
  /** False alarms whose episode peaked at or under `proposed`: those it would have removed. */
  falsePositivesRemoved: number
  /** The lowest episode score among confirmed alarms; every one of them stays above `proposed`. */
  minTrueScore: number | null
  rule: string
  reason: string
  /** Who accepted the threshold in force, when it is not the card's. */
  accepted?: { by: string; at: number; threshold: number }
}

/** A window count, and how many of the range's windows a threshold would have flagged (score above it). */
export interface FlaggedShare {
  threshold: number
  flagged: number
  /** flagged / windows, 0..1. */
  share: number
}

/**
 * A threshold calibrated on a stretch of normal running (src/main/alarms/threshold-calibration.ts):
 * the percentile asked of the scores one asset's model gave over [from, to).
 */
export interface ThresholdCalibration {
  assetId: string
  modelId: string
  from: number
  to: number
  percentile: number
  /** Scored windows in the range; `unscored` windows without a score were left out. */
  windows: number
  unscored: number
  /** The model version whose windows were used; windows of other versions (another scale) are left out. */
  modelVersion: string | null
  otherVersionWindows: number
  /** How the percentile falls between two scores. */
  interpolation: string
  /** The calibrated threshold, the one in force and the card's, each with what it flags of the range. */
  proposed: FlaggedShare
  current: FlaggedShare
  card: FlaggedShare
  scoreRange: { min: number; median: number; max: number }
}

const Calibration = {
  from: z.number().finite(),
  to: z.number().finite(),
  /** Default 99, as the shipped cards' thresholds are the 99th percentile of training error. */
  percentile: z.number().min(90).max(99.9).optional(),
}
const fromBeforeTo = (r: { from: number; to: number }) => r.from < r.to

export const thresholdChannels = {
  'models.thresholds': {
    req: z.object({ assetId: Id.optional() }).strict(),
    res: res<{ proposals: ThresholdProposal[] }>(),
  },
  /**
   * Accepts the current proposal for one asset's model; `threshold` must be the value the
   * engineer reviewed, so a proposal that moved meanwhile is refused rather than applied unseen.
   * `revert: true` goes back to the card's threshold instead. With `calibration`, the reviewed
   * threshold is that range's calibration (models.calibrateThreshold), not the verdicts' proposal,
   * and it is refused if the range now gives another value.
   */
  'models.acceptThreshold': {
    req: z
      .object({
        assetId: Id,
        modelId: Id,
        threshold: z.number().finite().positive().optional(),
        revert: z.literal(true).optional(),
        calibration: z
          .object(Calibration)
          .strict()
          .refine(fromBeforeTo, { message: 'from must be before to', path: ['to'] })
          .optional(),
      })
      .strict()
      .refine((r) => (r.threshold === undefined) !== (r.revert === undefined), {
        message: 'give either the reviewed threshold or revert: true',
        path: ['threshold'],
      })
      .refine((r) => !(r.revert && r.calibration), {
        message: 'a revert goes back to the card: it takes no calibration',
        path: ['calibration'],
      }),
    res: res<{ proposal: ThresholdProposal; calibration?: ThresholdCalibration }>(),
  },
  /**
   * Proposes a threshold from a stretch of normal running: the percentile of the scores one
   * asset's model gave over [from, to), with what it, the threshold in force and the card's
   * would have flagged there. Applying it is models.acceptThreshold with `calibration`.
   */
  'models.calibrateThreshold': {
    req: z
      .object({ assetId: Id, modelId: Id, ...Calibration })
      .strict()
      .refine(fromBeforeTo, { message: 'from must be before to', path: ['to'] }),
    res: res<{ calibration: ThresholdCalibration }>(),
  },
} as const
