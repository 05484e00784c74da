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

export const thresholdChannels = {
  'models.thresholds': {
    req: z.object({ assetId: Id.optional() }).strict(),
    res: res<{ proposals: ThresholdProposal[] }>(),
  },
  /**
   * Accepts the current proposal for one asset's model; `threshold` must be the value the
   * engineer reviewed, so a proposal that moved meanwhile is refused rather than applied unseen.
   * `revert: true` goes back to the card's threshold instead.
   */
  'models.acceptThreshold': {
    req: z
      .object({
        assetId: Id,
        modelId: Id,
        threshold: z.number().finite().positive().optional(),
        revert: z.literal(true).optional(),
      })
      .strict()
      .refine((r) => (r.threshold === undefined) !== (r.revert === undefined), {
        message: 'give either the reviewed threshold or revert: true',
        path: ['threshold'],
      }),
    res: res<{ proposal: ThresholdProposal }>(),
  },
} as const
