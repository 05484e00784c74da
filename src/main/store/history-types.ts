/** Samples of one asset in [from, to): raw when there are at most maxPoints, else min/max per bucket. */
export interface RangeRequest {
  assetId: string
  /** Default: the asset's configured tags, in order. */
  tags?: string[]
  from: number
  to: number
  maxPoints: number
}

/** One model's anomaly score over [from, to); every version of the model, in time order. */
export interface ScoreRequest {
  assetId: string
  /** Default: every model that scored the asset. */
  modelId?: string
  from: number
  to: number
  maxPoints: number
}

/**
 * A model's score history. Raw: one point per window, anomalies 0 or 1. Decimated: t is each
 * bucket's start, min/max the score's extremes in it, anomalies the count of ANOMALY windows,
 * threshold the highest in force; NaN marks a bucket without windows.
 */
export interface ScoreSeries {
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

/** The prediction log of one model version as written, window by window (for MLOps and audit). */
export interface PredictionLog {
  assetId: string
  modelId: string
  modelVersion: string
  tags: string[]
  t: Float64Array
  score: Float64Array
  threshold: Float64Array
  anomaly: Uint8Array
  /** Row-major n x tags.length, as in ScoreBatch. */
  contrib: Float64Array
  sensorState: Uint8Array
  latencyMs: Float64Array
}

export interface PredictionRequest {
  assetId: string
  modelId?: string
  from: number
  to: number
  /** Most windows returned, oldest first; default 10000. */
  limit?: number
}

/** A generic event: maintenance, alarm transitions, operator actions, system notes. */
export interface StoredEvent {
  t: number
  assetId?: string
  kind: string
  severity: string
  message: string
  /** Anything JSON can hold. */
  data?: unknown
}

export interface EventRequest {
  assetId?: string
  kind?: string
  from: number
  to: number
  limit?: number
}

export interface StoreStats {
  /** The database file and its write-ahead log, on disk. */
  bytes: number
  /** Stored timestamps, over all assets (one per row of a SampleBatch). */
  samples: number
  /** Stored values: samples times the asset's tags. */
  values: number
  predictions: number
}
