import type { BadRow, BadRowReason, ImportMapping } from '../../shared/import.ts'

/** What an import thread is started with (import.worker.ts). */
export interface ImportWorkerInit {
  file: string
  mapping: ImportMapping
  headers: string[]
  start: { offset: number; line: number }
  slow: boolean
  onBadRow: 'skip' | 'abort'
}

/** Messages from the import thread; the main thread answers each batch with { type: 'ack' }. */
export type FromImportWorker =
  | { type: 'batch'; t: Float64Array; values: Float64Array[]; quality: Uint8Array[] }
  | { type: 'progress'; bytes: number; rows: number; rejected: number }
  | {
      type: 'done'
      /** Which parser read the file: 'fast', 'library', or both and from where. */
      parser: string
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
