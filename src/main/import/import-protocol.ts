import type { MessagePort } from 'node:worker_threads'
import type { BadRow, BadRowReason, ImportMapping } from '../../shared/import.ts'

/** What an import thread is started with (import.worker.ts). */
export interface ImportWorkerInit {
  /** The stage's port into the history writer (ImportStage.attach): batches go there, acks come back. */
  stage: MessagePort
  file: string
  mapping: ImportMapping
  headers: string[]
  start: { offset: number; line: number }
  /** Parse only up to this byte: one range of the file (split-parse.ts); absent: to its end. */
  end?: number
  slow: boolean
  onBadRow: 'skip' | 'abort'
}

/** The one message the import thread waits for: it is started before the file is detected. */
export interface ToImportWorker {
  type: 'start'
  init: ImportWorkerInit
}

/** Messages from the import thread to the main thread (its batches go to the writer). */
export type FromImportWorker =
  | { type: 'progress'; bytes: number; rows: number; rejected: number }
  | {
      type: 'done'
      /** Which parser read the file: 'fast', 'library', or both and from where; 'quoted' when a range met a quote and stopped. */
      parser: string
      /** Line number after the last row read. */
      nextLine: number
      rows: number
      rejected: number
      /** Abort mode met a bad row. */
      stopped: boolean
      badRows: BadRow[]
      byReason: Record<BadRowReason, number>
      first: number
      last: number
      /** Per mapped column, the extremes imported. */
      min: number[]
      max: number[]
      /** Most the thread's heap and external buffers held at once, bytes. */
      peakBytes: number
    }
  | { type: 'error'; message: string }
