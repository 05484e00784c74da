import Database from 'better-sqlite3'
import { existsSync, statSync } from 'node:fs'
import { Worker } from 'node:worker_threads'
import { VigilError } from '../../shared/errors.ts'
import type { CsvExport, HistoryStats, StoreStatus } from '../../shared/contract.ts'
import type { ImportedDataset } from '../../shared/import.ts'
import type { AssetConfig } from '../../shared/plant.ts'
import type { ModelFigures, ModelPredictions } from '../../shared/model-channels.ts'
import type { PredictionBatch, SampleBatch, ScoreBatch } from '../../shared/samples.ts'
import { workerUrl } from '../worker-url.ts'
import {
  buffersOf,
  checkPredictionBatch,
  checkSampleBatch,
  checkScoreBatch,
  checkSpan,
} from './batch-checks.ts'
import { exportCsv, exportFileName, type ExportRequest } from './csv-export.ts'
import type {
  EventRequest,
  PredictionLog,
  PredictionRequest,
  RangeRequest,
  ScoreRequest,
  ScoreSeries,
  StoreStats,
  StoredEvent,
} from './history-types.ts'
import { LogReader } from './log-query.ts'
import { PredictionReader, type FiguresRequest, type PredictionsRequest } from './prediction-query.ts'
import { RecordReader } from './record-query.ts'
import type { RecordOp } from './record-types.ts'
import { SampleReader, type SamplesBlock } from './range-query.ts'
import type { RetentionPolicy, RetentionResult } from './retention.ts'
import { historyStats } from './store-stats.ts'
import { listDatasets } from './import-datasets.ts'
import { historyAssets, type HistoryAsset } from './history-assets.ts'
import {
  stageImport,
  storedAsset,
  type ImportStage,
  type ImportStageSpec,
  type StoredAsset,
} from './import-stage-link.ts'
import { WriterLink } from './writer-link.ts'
import type { WriterInit } from './writer-protocol.ts'
import { workerResourceLimits } from '../worker-limits.ts'

export interface Store {
  /** Queues a batch for the writer and hands it the buffers: the caller must not use them again. */
  writeSamples(b: SampleBatch): void
  /** Queues model outputs; the buffers are copied, the batch stays the caller's. */
  writeScores(s: ScoreBatch): void
  /** Queues a predictor's outputs (rul, defect, policy) for the prediction log; copied like scores. */
  writePredictions(p: PredictionBatch): void
  writeEvents(events: StoredEvent[]): void
  /** Queues alarm, journal, maintenance, audit and user records; flush() when they must be durable before answering. */
  writeRecords(ops: RecordOp[]): void
  /** Reads those records on the read connection (synchronous: they are small). */
  records: RecordReader
  range(req: RangeRequest): Promise<SamplesBlock>
  scores(req: ScoreRequest): Promise<ScoreSeries[]>
  predictions(req: PredictionRequest): Promise<PredictionLog[]>
  /** Per model over a range: outputs, latency p50/p99, share past the threshold (models.figures). */
  modelFigures(req: FiguresRequest): Promise<ModelFigures[]>
  /** One model's logged outputs on one asset, every kind (models.predictions). */
  modelPredictions(req: PredictionsRequest): Promise<ModelPredictions[]>
  events(req: EventRequest): Promise<(StoredEvent & { id: number })[]>
  stats(): Promise<StoreStats>
  /** Size, rows per table, what each asset holds, policies and status (history.stats). */
  history(): Promise<HistoryStats>
  /** Unavailable while the writer cannot commit (disk or size cap full) or has failed, with the reason. */
  status(): StoreStatus
  /** Streams raw samples as CSV to `write` (csv-export.ts). */
  exportCsv(req: ExportRequest, write: (chunk: string) => unknown): Promise<{ rows: number; tags: string[] }>
  /** The same as one string, refused past maxRows (the UI's download; files go through exportCsv). */
  exportText(req: ExportRequest, maxRows?: number): Promise<CsvExport>
  /** Changes the cap on the file's size (null: none); a writer held up by the old cap retries at once. */
  setMaxBytes(bytes: number | null): Promise<void>
  /** Runs a retention pass now (with a new policy, if given) and resolves when it is through. */
  retain(policy?: RetentionPolicy): Promise<RetentionResult>
  /** Stages an import (import-stage.ts): nothing it writes is visible until commit; abort leaves no trace. */
  stageImport(spec: Omit<ImportStageSpec, 'stage'>): Promise<ImportStage>
  /** An asset as the file holds it (configured or imported): tags, time span, samples; null if absent. */
  storedAsset(assetId: string): Promise<StoredAsset | null>
  /** Assets the file holds that are not among `configured` (imported ones): tags with units and ranges from the data. */
  historyAssets(configured: readonly string[]): Promise<HistoryAsset[]>
  /** Committed imports as the file records them (import-datasets.ts), newest first. */
  importedDatasets(q?: { assetId?: string; limit?: number }): Promise<ImportedDataset[]>
  /** Resolves once everything written before it is committed and visible to queries. */
  flush(): Promise<void>
  /** Flushes, ends the writer and closes the file; safe to call twice. */
  close(): Promise<void>
}

export interface StoreOptions {
  path: string
  assets: AssetConfig[]
  /** Cap on the database file, bytes: past it the store reports itself unavailable until space returns. */
  maxBytes?: number
  retention?: RetentionPolicy
  /** How often retention runs in the background; default hourly. */
  retentionEveryMs?: number
}

/** Rows the UI's export carries in one answer (~20 MB of text at 10 tags). */
export const EXPORT_TEXT_ROWS = 200_000

/**
 * Opens (creating or upgrading) the history file. Writes go to the writer thread; queries run
 * here on the main thread over a read-only connection: WAL lets them read beside the writer
 * without blocking it. With rollups a range query of any span reads a few thousand intervals
 * (a month of 10 tags to 2000 points: a few ms, bench/range_query.bench.ts), so they stay on
 * the main thread; the query classes take only a connection, so they can move to a reader
 * thread if that changes.
 */
export async function openStore(opts: StoreOptions): Promise<Store> {
  const init: WriterInit = {
    path: opts.path,
    assets: opts.assets.map((a) => ({
      id: a.id,
      name: a.name,
      class: a.class,
      tags: a.tags.map((t) => ({ id: t.id, unit: t.unit })),
    })),
    ...(opts.maxBytes ? { maxBytes: opts.maxBytes } : {}),
    ...(opts.retention ? { retention: opts.retention } : {}),
    ...(opts.retentionEveryMs ? { retentionEveryMs: opts.retentionEveryMs } : {}),
  }
  let policy = opts.retention
  let maxBytes = opts.maxBytes
  const worker = new Worker(workerUrl('store/writer.worker.ts', 'store.worker'), {
    workerData: init,
    resourceLimits: workerResourceLimits(),
  })
  const link = new WriterLink(worker, opts.path)
  try {
    await link.ready
  } catch (e) {
    await link.stop()
    throw e
  }
  const db = new Database(opts.path, { readonly: true, fileMustExist: true })
  const samples = new SampleReader(db)
  const logs = new LogReader(db, opts.assets)
  const predicted = new PredictionReader(db)
  const records = new RecordReader(db)
  const assets = new Map(opts.assets.map((a) => [a.id, a]))
  const count = db
    .prepare(
      'SELECT (SELECT coalesce(sum(n), 0) FROM time_blocks), (SELECT coalesce(sum(b.n), 0) FROM value_blocks v JOIN time_blocks b ON b.id = v.block_id), (SELECT count(*) FROM prediction_logs)',
    )
    .raw()
  let closing: Promise<void> | null = null

  /** Runs a query once the writer is known to be alive: a dead writer is reported on every call. */
  const query = async <T>(run: () => T): Promise<T> => {
    link.check()
    return run()
  }

  return {
    writeSamples(b) {
      checkSampleBatch(b, assets.get(b.assetId))
      const { assetId, t, values, quality } = b
      link.post(
        { type: 'samples', batch: { assetId, t, values, ...(quality ? { quality } : {}) } },
        buffersOf([t, ...values, ...(quality ?? [])]),
      )
    },
    writeScores(s) {
      checkScoreBatch(s, assets.get(s.assetId))
      link.post({ type: 'scores', batch: s })
    },
    writePredictions(p) {
      checkPredictionBatch(p, assets.get(p.assetId))
      link.post({ type: 'predictions', batch: p })
    },
    writeEvents(events) {
      for (const e of events) {
        if (e.assetId !== undefined && !assets.has(e.assetId))
          throw new VigilError('not-found', `history: event "${e.kind}" names unknown asset "${e.assetId}"`)
        if (!Number.isFinite(e.t))
          throw new VigilError('bad-request', `history: event "${e.kind}" has no finite time`)
      }
      link.post({ type: 'events', events })
    },
    writeRecords(ops) {
      if (ops.length) link.post({ type: 'records', ops })
    },
    records,
    range: (req) =>
      query(() => {
        checkSpan(req, `range of asset "${req.assetId}"`)
        return samples.range(req)
      }),
    scores: (req) =>
      query(() => {
        checkSpan(req, `scores of asset "${req.assetId}"`)
        return logs.scores(req)
      }),
    predictions: (req) => query(() => logs.predictions(req)),
    modelFigures: (req) => query(() => predicted.figures(req)),
    modelPredictions: (req) => query(() => predicted.predictions(req)),
    events: (req) => query(() => logs.events(req)),
    stats: () =>
      query(() => {
        const [samples, values, predictions] = count.get() as [number, number, number]
        const size = (p: string) => (existsSync(p) ? statSync(p).size : 0)
        return { bytes: size(opts.path) + size(`${opts.path}-wal`), samples, values, predictions }
      }),
    history: () => query(() => historyStats(db, opts.path, policy, maxBytes, link.status())),
    status: () => link.status(),
    exportCsv: async (req, write) => {
      link.check()
      return exportCsv(db, req, write)
    },
    async exportText(req, maxRows = EXPORT_TEXT_ROWS) {
      link.check()
      const parts: string[] = []
      let lines = 0
      const { rows } = await exportCsv(db, req, (chunk) => {
        for (let i = chunk.indexOf('\n'); i >= 0; i = chunk.indexOf('\n', i + 1)) lines++
        if (lines > maxRows + 1)
          throw new VigilError(
            'bad-request',
            `export of "${req.assetId}": more than ${maxRows} rows; narrow the range or use \`vigil export\` for a file`,
          )
        parts.push(chunk)
        // Yields between chunks so a long export does not hold the main thread.
        return new Promise((resolve) => setImmediate(resolve))
      })
      return { filename: exportFileName(req.assetId, req.from, req.to), csv: parts.join(''), rows }
    },
    async setMaxBytes(bytes) {
      await link.request({ type: 'limit', maxBytes: bytes })
      maxBytes = bytes ?? undefined
    },
    stageImport: (spec) => stageImport(link, spec),
    storedAsset: (assetId) => query(() => storedAsset(db, assetId)),
    importedDatasets: (q) => query(() => listDatasets(db, q)),
    historyAssets: (configured) => query(() => historyAssets(db, new Set(configured))),
    async retain(next) {
      if (next) policy = next
      const r = await link.request({ type: 'retain', ...(next ? { policy: next } : {}) })
      return r ?? { blocks: 0, rollups: 0, predictions: 0 }
    },
    flush: async () => {
      await link.request({ type: 'flush' })
    },
    close() {
      closing ??= (async () => {
        db.close()
        try {
          await link.request({ type: 'close' })
        } finally {
          await link.stop()
        }
      })()
      return closing
    },
  }
}
