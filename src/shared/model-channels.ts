import { z } from 'zod'
import type { ModelCard } from './model-card.ts'

/*
 * The contract's channels for fitting a detector in the app and for reading which sensors
 * carry a model's error (contract.ts spreads them in). `models.list` is in contract.ts.
 */

const res = <T>() => z.custom<T>(() => true)
const AssetId = z.string().min(1).max(100)
const Time = z.number().finite()

export interface FitResult {
  card: ModelCard
  /** The model folder written (model.onnx, model.json, README.md). */
  dir: string
  /** Complete rows fitted on, and rows left out for a missing or bad-quality value. */
  rows: number
  skippedRows: number
  /** False: the running engine does not score with it yet (see `message`). */
  active: boolean
  /** What happens next, in words: where the model is and when it is used. */
  message: string
}

/** What models.reload found in the user's models folder. */
export interface ModelReload {
  /** Ids of the models it loaded now. */
  loaded: string[]
  /** Ids of served user models whose folder changed and now serve its new card. */
  replaced: string[]
  /** Ids of served user models whose folder is gone: no longer served. */
  removed: string[]
  /** Folders that do not load, with why (a folder still being copied is one, until complete). */
  errors: { folder: string; message: string }[]
}

/** One tag's part in a model's error over a range (shares are of each window's contributions, 0..1). */
export interface TagContribution {
  tag: string
  /** Mean share over the ANOMALY windows (null when there were none: plain numbers cross the wire as JSON). */
  anomalousShare: number | null
  /** Mean share over the NORMAL windows: about 1/tags for a sensor behaving normally. */
  normalShare: number | null
  /** ANOMALY windows in which this tag had the largest share. */
  top: number
  /** ANOMALY windows in which the model flagged this sensor ANOMALOUS or CRITICAL. */
  flagged: number
}

export interface ContributionSummary {
  modelId: string
  /** Versions of the model that scored the range, oldest first. */
  versions: string[]
  tags: string[]
  windows: number
  anomalous: number
  /** Per tag, in the model's tag order. */
  perTag: TagContribution[]
  /** True when the range held more windows than are read in one answer; `to` says where reading stopped. */
  truncated: boolean
  /** Time of the first and last window read (null when none). */
  from: number | null
  to: number | null
}

/** One model's figures over a range, over every asset it served (or the one asked for). */
export interface ModelFigures {
  modelId: string
  /** The card's kind for predictors (rul, defect, policy); 'detector' for window detectors. */
  kind: string
  versions: string[]
  assets: string[]
  /** Outputs logged in the range: windows of a detector, predictions of a predictor. */
  count: number
  /**
   * The model call's time per output, ms (a call's time over the outputs it gave). Over an
   * even sample of the rows when `sampled` (ranges of more than 200,000 outputs).
   */
  latencyMs: { p50: number | null; p99: number | null; sampled: boolean }
  /** Share of outputs past the threshold (ANOMALY windows, short lives, likely defects), 0..1; null with none. */
  alarmRate: number | null
  /** Times of the first and last output in the range (null when none). */
  from: number | null
  to: number | null
}

/**
 * What one version of a model predicted for one asset, output by output, oldest first: the RUL
 * trend (value, spread), the defect history (value, members, confidence, unit), a policy's
 * advice (actions), a detector's score. Typed arrays cross the wire as binary (wire.ts).
 */
export interface ModelPredictions {
  assetId: string
  modelId: string
  modelVersion: string
  kind: string
  t: Float64Array
  /** Life, P(defect), a detector's score; NaN for a policy or a missing input. */
  value: Float64Array
  threshold: Float64Array
  /** 1 past the threshold: life below it, P(defect) or score above it. */
  flagged: Uint8Array
  latencyMs: Float64Array
  spread?: Float64Array
  confidence?: Float64Array
  members?: Record<string, Float64Array>
  unit?: Float64Array
  /** Row-major n x actionTags.length setpoints. */
  actions?: Float64Array
  actionTags?: string[]
  advice?: unknown[]
  /** More outputs lie in the range than `limit`: read on from the last t. */
  truncated: boolean
}

export const modelChannels = {
  'models.fit': {
    req: z
      .object({
        assetId: AssetId,
        /** The stretch of normal operation to fit on. */
        from: Time,
        to: Time,
        /** Default: every tag of the asset that is not constant over the range. */
        tags: z.array(z.string().min(1).max(100)).min(1).max(200).optional(),
        /** The model id and folder name; default: "<asset>-pca" (or "<asset>-ae"). */
        id: z
          .string()
          .regex(
            /^[a-z0-9][a-z0-9-]{0,62}$/,
            'lowercase letters, digits and dashes, starting with a letter or digit',
          )
          .optional(),
        /** pca (default): T² and Q; ae: a small autoencoder trained in the fit worker. */
        method: z.enum(['pca', 'ae']).optional(),
        /** pca only: share of the variance the kept components explain. */
        variance: z.number().gt(0).max(1).optional(),
        percentile: z.number().gt(50).lt(100).optional(),
      })
      .strict()
      .refine((r) => r.from < r.to, { message: 'from must be before to', path: ['to'] })
      .refine((r) => !(r.method === 'ae' && r.variance !== undefined), {
        message: 'variance applies to method "pca" only',
        path: ['variance'],
      }),
    res: res<FitResult>(),
  },
  'models.contributions': {
    req: z
      .object({
        assetId: AssetId,
        modelId: z.string().min(1).max(100).optional(),
        from: Time,
        to: Time,
      })
      .strict()
      .refine((r) => r.from < r.to, { message: 'from must be before to', path: ['to'] }),
    res: res<{ models: ContributionSummary[] }>(),
  },
  'models.figures': {
    req: z
      .object({
        /** Default: every model that logged outputs in the range. */
        modelId: z.string().min(1).max(100).optional(),
        /** Default: every asset. */
        assetId: AssetId.optional(),
        from: Time,
        to: Time,
      })
      .strict()
      .refine((r) => r.from < r.to, { message: 'from must be before to', path: ['to'] }),
    res: res<{ models: ModelFigures[] }>(),
  },
  'models.predictions': {
    req: z
      .object({
        assetId: AssetId,
        modelId: z.string().min(1).max(100),
        from: Time,
        to: Time,
        limit: z.number().int().min(1).max(100_000).optional(),
      })
      .strict()
      .refine((r) => r.from < r.to, { message: 'from must be before to', path: ['to'] }),
    res: res<{ series: ModelPredictions[] }>(),
  },
  /**
   * Reads the user's models folder now, as its watcher does after a change: a complete new
   * model folder is served at once; every folder that does not load is listed with why.
   */
  'models.reload': {
    req: z.object({}).strict(),
    res: res<ModelReload>(),
  },
} as const
