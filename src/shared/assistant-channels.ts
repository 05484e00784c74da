import { z } from 'zod'

/*
 * The Assistant's channel (contract.ts spreads it in): an explanation of an anomaly or an
 * alarm made from what the machine holds (the model's contributions, the tags' history, past
 * alarms and work orders, the asset class's checklist). It calls no outside service.
 */

const res = <T>() => z.custom<T>(() => true)

/** One sensor's part in the finding and how far it is from its own normal. */
export interface Contributor {
  tag: string
  name: string
  unit: string
  /** Mean share of the model's error over the finding's windows (0..1); null without a model. */
  share: number | null
  /** The share a sensor has in NORMAL windows of the same model (about 1/tags). */
  normalShare: number | null
  /** The latest value at the finding's time (null: no sample). */
  value: number | null
  /** Mean and standard deviation over the baseline stretch before the finding (null: no baseline). */
  normalMean: number | null
  normalStd: number | null
  /** (value - normalMean) / normalStd; null without both. */
  z: number | null
  /** Which way it moved: 'high' or 'low' past 2 standard deviations, else 'normal'. */
  direction: 'high' | 'low' | 'normal'
  /** The nearest configured limit in the direction it moved, with its name (HH, critical...). */
  limit: { name: string; value: number } | null
}

/** How long the score has been building up before and during the finding. */
export interface Buildup {
  /** Start of the stretch in which the score stayed above its normal band (null: no score history). */
  risingSince: number | null
  /** First window of the current run of ANOMALY windows (null: the model does not call it one). */
  anomalousSince: number | null
  /** The score and threshold at the finding's time. */
  score: number | null
  threshold: number | null
  /** The score's normal band: median + 3 scaled MADs of the NORMAL windows before the run, at most the threshold. */
  normalBand: number | null
  /** The newest score over the one at risingSince: >1 rising. */
  trend: 'rising' | 'steady' | 'falling' | null
}

/** A past alarm, work order or model finding of the asset that involved the same sensors. */
export interface SimilarEvent {
  kind: 'alarm' | 'maintenance' | 'anomaly'
  at: number
  /** End of an anomaly episode, or when a work order was resolved. */
  until: number | null
  title: string
  /** The sensors it shares with this finding. */
  tags: string[]
  /** What people wrote: resolution notes, alarm comments. */
  notes: string | null
}

/** A likely cause from the asset class's checklist, ranked by how many of its signs are present. */
export interface LikelyCause {
  id: string
  cause: string
  /** The signs of the checklist entry seen in the data, in words ("Bearing_Temperature_C high"). */
  matched: string[]
  /** Signs that would be expected but are not seen. */
  missing: string[]
  /** 0..1: the weight of matched signs over all its signs, contributions counted. */
  match: number
  checks: string[]
}

export interface Explanation {
  assetId: string
  assetClass: string
  subject: {
    kind: 'alarm' | 'anomaly'
    alarmId: string | null
    title: string
    /** The moment explained (epoch ms, the data's time). */
    at: number
  }
  modelId: string | null
  /** Sentences that sum it up, generated from the figures below. */
  summary: string[]
  contributors: Contributor[]
  buildup: Buildup
  similar: SimilarEvent[]
  causes: LikelyCause[]
  /** The checklist file the causes come from (null: none for this asset class). */
  checklist: string | null
}

export const assistantChannels = {
  'assistant.explain': {
    req: z
      .object({
        assetId: z.string().min(1).max(100),
        /** Explain this alarm (its asset, its tag, when it became active). */
        alarmId: z.string().min(1).max(300).optional(),
        /** Explain the asset at this moment (default: the newest scored window). */
        at: z.number().finite().optional(),
        modelId: z.string().min(1).max(100).optional(),
      })
      .strict(),
    res: res<Explanation>(),
  },
} as const
