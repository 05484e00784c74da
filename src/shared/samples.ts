import type { AlarmStats, AlarmView, MaintenanceEvent } from './alarms.ts'
import type { SetpointAdvice } from './suggestion.ts'

/**
 * Samples travel as columns: one time column (epoch ms, ascending) and, in the asset's tag
 * order, one Float64Array of values and one Uint8Array of quality flags (see quality.ts) per
 * tag. Batches cross threads as transferable buffers and the wire as binary (wire.ts).
 */
export interface SampleBatch {
  assetId: string
  t: Float64Array
  values: Float64Array[]
  /** Absent before validation; one array per tag after it. */
  quality?: Uint8Array[]
}

/** Per-sensor state, as the pump design names them. */
export const SensorState = { NORMAL: 0, ANOMALOUS: 1, CRITICAL: 2, BAD_DATA: 3 } as const
export type SensorStateCode = (typeof SensorState)[keyof typeof SensorState]

/**
 * One model's outputs for consecutive windows of one asset. Per-window columns; contrib and
 * sensorState are row-major n x tags.length.
 */
export interface ScoreBatch {
  assetId: string
  modelId: string
  modelVersion: string
  tags: string[]
  threshold: number
  /** End time of each window. */
  t: Float64Array
  score: Float64Array
  /** 1 where score > threshold (ANOMALY), else 0 (NORMAL). */
  anomaly: Uint8Array
  /** Each sensor's share of the reconstruction error; a row sums to 1. */
  contrib: Float64Array
  sensorState: Uint8Array
  /** Time spent in the model call per window, ms (inference divided by windows in the call). */
  latencyMs: number
}

/**
 * Predictions of one model of kind rul, defect or policy for one asset (a detector's outputs
 * are a ScoreBatch). One entry per prediction: a RUL model every rul.everySeconds of data, a
 * defect model once per finished production unit, a policy every policy.everySeconds.
 */
export interface PredictionBatch {
  assetId: string
  modelId: string
  modelVersion: string
  kind: 'rul' | 'defect' | 'policy'
  /** Data time of the last sample each prediction used (a unit's last sample for defect). */
  t: Float64Array
  /** The main output: life in the card's rul.unit, P(defect); NaN for a policy. */
  value: Float64Array
  threshold: number
  /** 1 where the prediction is past the threshold: life below it, P(defect) above it; 0 for a policy. */
  flagged: Uint8Array
  /** rul: the life's standard deviation, same unit. */
  spread?: Float64Array
  /** defect: the ensemble's 0..1 confidence. */
  confidence?: Float64Array
  /** defect: each member model's P(defect), member name -> values. */
  members?: Record<string, Float64Array>
  /** defect: the production unit (the value of the card's sequence.by) each prediction is about. */
  unit?: Float64Array
  /** policy: the advised setpoints in each action's units, row-major n x actionTags.length. */
  actions?: Float64Array
  actionTags?: string[]
  /** policy: what setpoint-advice.ts made of each row (moves, expected gain, constraint margins), when it applies. */
  advice?: SetpointAdvice[]
  /** Time spent in the model call per prediction, ms. */
  latencyMs: number
}

export type SourceState = 'starting' | 'running' | 'stale' | 'stopped' | 'failed'

/** A source's health is status data, not a log line. */
export interface SourceStatus {
  assetId: string
  kind: string
  state: SourceState
  message?: string
  at: number
  /** Network sources: samples per second over the last status period. */
  samplesPerS?: number
  /** Network sources: time (epoch ms) of the newest sample received. */
  lastSampleAt?: number
  /** The latest failed or stale report, kept after the source recovers (sources/source-meter.ts). */
  lastError?: { message: string; at: number }
}

export const FaultKinds = [
  'bearing_wear',
  'cavitation',
  'seal_leak',
  'sensor_stuck',
  'sensor_spike',
  'sensor_dropout',
  // Compressor C-201 (simulator/compressor-physics.ts): accelerated fouling, approach to surge.
  'fouling',
  'surge',
  // Caster CC-1 (simulator/caster-physics.ts): mould level hunting, hot heats, a sticker.
  'mould_level_hunting',
  'superheat_high',
  'sticker',
] as const
export type FaultKind = (typeof FaultKinds)[number]

const SENSOR_FAULTS = ['sensor_stuck', 'sensor_spike', 'sensor_dropout'] as const

/** The faults each simulator model takes: the fault control offers an asset only its own. */
export const SimulatorFaults = {
  pump: ['bearing_wear', 'cavitation', 'seal_leak', ...SENSOR_FAULTS],
  compressor: ['fouling', 'surge', 'bearing_wear', ...SENSOR_FAULTS],
  caster: ['mould_level_hunting', 'superheat_high', 'sticker', ...SENSOR_FAULTS],
} as const satisfies Record<string, readonly FaultKind[]>
export type SimulatorModel = keyof typeof SimulatorFaults

export interface ActiveFault {
  kind: FaultKind
  /** Sensor faults act on one tag. */
  tag?: string
  /** Simulated epoch ms when it was injected. */
  since: number
  /** Seconds of simulated time until the fault reaches full severity. */
  rampS: number
  severity: number
}

/** What the hub streams to every client. */
export type LiveMessage =
  | {
      topic: 'samples'
      batch: SampleBatch
      /** Rolling mean and std of each tag (asset tag order) at the end of the batch. */
      rolling?: { mean: Float64Array; std: Float64Array }
    }
  | { topic: 'scores'; batch: ScoreBatch }
  | { topic: 'predictions'; batch: PredictionBatch }
  | { topic: 'status'; status: SourceStatus }
  | { topic: 'faults'; assetId: string; active: ActiveFault[] }
  /** Plant-wide: the alarms and maintenance events that changed, and the figures after the change. */
  | { topic: 'alarms'; alarms: AlarmView[]; maintenance: MaintenanceEvent[]; stats: AlarmStats }
  /**
   * Plant-wide: the served models changed while the engine runs (a model fitted in the app or
   * dropped into the user's folder now serves `assetIds`; a user folder replaced by a re-fit
   * serves them with its new card; a deleted one: `assetIds` empty). `revision` counts such
   * changes since the engine started. A client re-reads plant.describe and models.list on it.
   */
  | { topic: 'models'; revision: number; modelId: string; assetIds: string[] }
