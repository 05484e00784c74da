import type { MessagePort } from 'node:worker_threads'
import type { PredictionBatch, SampleBatch, ScoreBatch } from '../../shared/samples.ts'
import type { StoreStatus } from '../../shared/contract.ts'
import type { StoredEvent } from './history-types.ts'
import type { DatasetRecord } from './import-datasets.ts'
import type { ImportStageSpec } from './import-stage.ts'
import type { RecordOp } from './record-types.ts'
import type { PackedRollup } from './rollup-codec.ts'
import type { RetentionPolicy, RetentionResult } from './retention.ts'

/** What the writer needs of the plant: asset ids, names, classes and tag order. */
export interface WriterInit {
  path: string
  assets: { id: string; name: string; class: string; tags: { id: string; unit: string }[] }[]
  /** Cap on the database file (SQLite's max_page_count); absent = no cap. */
  maxBytes?: number
  retention?: RetentionPolicy
  /** How often retention runs; default hourly. */
  retentionEveryMs?: number
}

/** Messages to the writer, handled strictly in order: a flush covers everything posted before it. */
export type ToWriter =
  | { type: 'samples'; batch: SampleBatch }
  | { type: 'scores'; batch: ScoreBatch }
  | { type: 'predictions'; batch: PredictionBatch }
  | { type: 'events'; events: StoredEvent[] }
  | { type: 'records'; ops: RecordOp[] }
  | { type: 'flush'; id: number }
  | { type: 'close'; id: number }
  | { type: 'limit'; id: number; maxBytes: number | null }
  | { type: 'retain'; id: number; policy?: RetentionPolicy }
  /** An import's staged samples (import-stage.ts): invisible until import-end commits them. */
  | { type: 'import-begin'; id: number; spec: ImportStageSpec }
  | {
      type: 'import-batch'
      stage: string
      t: Float64Array
      values: Float64Array[]
      quality: Uint8Array[]
      /** Came over the stage's port: answered there once committed (StagePortReply). */
      viaPort?: boolean
      /** Which of the stage's ports (producers), in the order attached; 0 when absent. */
      producer?: number
      /** The rollup rows the producer folded these rows into (producer-rollups.ts); absent: the writer folds. */
      rollups?: PackedRollup[]
    }
  /** A port a producer thread posts the stage's batches on directly (StagePortBatch), bypassing the main thread. */
  | { type: 'import-port'; stage: string; port: MessagePort }
  | { type: 'import-end'; id: number; stage: string; commit: boolean; dataset?: DatasetRecord }

export type FromWriter =
  | { type: 'ready'; version: number }
  | { type: 'status'; status: StoreStatus }
  /** The answer to a request; `error` when it could not be done (the writer carries on). */
  | { type: 'done'; id: number; error?: string; value?: RetentionResult }

/** What a producer posts on a stage's port: rows in the stage's tag order, ascending time; the buffers are transferred. */
export interface StagePortBatch {
  type: 'batch'
  t: Float64Array
  values: Float64Array[]
  quality: Uint8Array[]
  /**
   * Rollup rows the producer folded from this and its earlier batches (producer-rollups.ts);
   * absent: the writer folds the rows itself. A producer's last message may carry rows only.
   */
  rollups?: PackedRollup[]
}

/**
 * The writer's answers on a stage's port: one ack per batch once it is committed to the stage
 * (a producer bounds its batches in flight by them), or why the stage cannot take more.
 */
export type StagePortReply =
  /** With the batch's buffers handed back, for the producer's next batches. */
  | { type: 'ack'; t: Float64Array; values: Float64Array[]; quality: Uint8Array[] }
  | { type: 'error'; message: string }
