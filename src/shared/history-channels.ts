import { z } from 'zod'

/*
 * The contract's channels for looking back (contract.ts spreads them in): a model's anomaly
 * score over a range, and annotations people pin to an asset's history. The samples
 * themselves are `history.range` in contract.ts.
 */

const res = <T>() => z.custom<T>(() => true)
const AssetId = z.string().min(1).max(100)
const Time = z.number().finite()

/**
 * A model's score over a range. Raw: one point per window, anomalies 0 or 1. Decimated: t is
 * each bucket's start (buckets of equal width over [from, to)), min/max the score's extremes
 * in it, anomalies the count of ANOMALY windows, threshold the highest in force; NaN marks a
 * bucket without windows.
 */
export interface ScoreHistory {
  modelId: string
  /** The model's newest version in the store. */
  modelVersion: string
  raw: boolean
  t: Float64Array
  min: Float64Array
  max: Float64Array
  threshold: Float64Array
  anomalies: Float64Array
}

/** A note a person pinned to a moment (or a span) of an asset's history. */
export interface Annotation {
  id: number
  assetId: string
  /** Epoch ms; `to` when it marks a span. */
  t: number
  to?: number
  text: string
  by: string
  /** The tags it is about, when it names some. */
  tags?: string[]
  /** When it was written (epoch ms). */
  at: number
}

export const historyChannels = {
  'history.scores': {
    req: z
      .object({
        assetId: AssetId,
        /** Default: every model that scored the asset. */
        modelId: z.string().min(1).max(100).optional(),
        from: Time,
        to: Time,
        maxPoints: z.number().int().min(2).max(20000),
      })
      .strict()
      .refine((r) => r.from < r.to, { message: 'from must be before to', path: ['to'] }),
    res: res<{ series: ScoreHistory[] }>(),
  },
  'history.annotate': {
    req: z
      .object({
        assetId: AssetId,
        t: Time,
        to: Time.optional(),
        text: z.string().trim().min(1, 'say what happened').max(500),
        tags: z.array(z.string().max(100)).max(50).optional(),
      })
      .strict()
      .refine((r) => r.to === undefined || r.to > r.t, { message: 'must be after t', path: ['to'] }),
    res: res<{ annotation: Annotation }>(),
  },
  'history.annotations': {
    req: z
      .object({
        assetId: AssetId,
        from: Time,
        to: Time,
        limit: z.number().int().min(1).max(5000).optional(),
      })
      .strict()
      .refine((r) => r.from < r.to, { message: 'from must be before to', path: ['to'] }),
    res: res<{ annotations: Annotation[] }>(),
  },
} as const
