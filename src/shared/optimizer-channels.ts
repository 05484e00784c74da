import { z } from 'zod'

/*
 * What a person decided about a setpoint suggestion (a policy model's advice, suggestion.ts).
 * Vigil never writes to the plant: accepting records that someone will make the move on the
 * plant's own control system, dismissing that nobody will; both go to the audit trail with who
 * decided, when and why.
 */

const res = <T>() => z.custom<T>(() => true)
const AssetId = z.string().min(1).max(100)
const Time = z.number().finite()

export const AdviceDecisionKind = z.enum(['accept', 'dismiss'])
export type AdviceDecisionKind = z.infer<typeof AdviceDecisionKind>

/** One recorded decision, read back from the audit trail. */
export interface AdviceDecision {
  /** When it was recorded (wall clock). */
  t: number
  actor: string
  role: string
  assetId: string
  modelId: string
  /** Data time of the advice decided on (SetpointAdvice.at). */
  at: number
  decision: AdviceDecisionKind
  note: string | null
}

export const optimizerChannels = {
  'optimizer.decide': {
    req: z
      .object({
        assetId: AssetId,
        modelId: z.string().min(1).max(100),
        /** The advice's data time: which suggestion this is about. */
        at: Time,
        decision: AdviceDecisionKind,
        note: z.string().trim().max(500).optional(),
      })
      .strict(),
    res: res<{ decision: AdviceDecision }>(),
  },
  'optimizer.decisions': {
    req: z
      .object({
        assetId: AssetId.optional(),
        from: Time.optional(),
        to: Time.optional(),
        limit: z.number().int().min(1).max(1000).optional(),
      })
      .strict(),
    res: res<{ decisions: AdviceDecision[] }>(),
  },
} as const
