import Database from 'better-sqlite3'
import { existsSync, statSync } from 'node:fs'
import { Worker } from 'node:worker_threads'
import { VigilError } from '../../shared/errors.ts'
import type { AssetConfig } from '../../shared/plant.ts'
import type { SampleBatch, ScoreBatch } from '../../shared/samples.ts'
import { workerUrl } from '../worker-url.ts'
import { buffersOf, checkSampleBatch, checkScoreBatch, checkSpan } from './batch-checks.ts'
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
import { SampleReader, type SamplesBlock } from './range-query.ts'
import { WriterLink } from './writer-link.ts'
import type { WriterInit } from './writer-protocol.ts'

export interface Store {
  /** Queues a batch for the writer and hands it the buffers: the caller must not use them again. */
  writeSamples(b: SampleBatch): void
  /** Queues model outputs; the buffers are copied, the batch stays the caller's. */
  writeScores(s: ScoreBatch): void
  writeEvents(events: StoredEvent[]): void
  range(req: RangeRequest): Promise<SamplesBlock>
  scores(req: ScoreRequest): Promise<ScoreSeries[]>
  predictions(req: PredictionRequest): Promise<PredictionLog[]>
  events(req: EventRequest): Promise<(StoredEvent & { id: number })[]>
  stats(): Promise<StoreStats>
  /** Resolves once everything written before it is committed and visible to queries. */
  flush(): Promise<void>
  /** Flushes, ends the writer and closes the file; safe to call twice. */
  close(): Promise<void>
}

export interface StoreOptions {
  path: string
  assets: AssetConfig[]
}

/**
 * Opens (creating or upgrading) the history file. Writes go to the writer thread; queries run
 * here on the main thread over a read-only connection: WAL lets them read beside the writer
 * without blocking it, and a day of 1 Hz data at 1000 points reads in a few milliseconds (see
 * measure.ts). The query classes take only a connection, so they can move to a reader thread
 * when rollups and long ranges make queries heavier.
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
  }
  const worker = new Worker(workerUrl('store/writer.worker.ts', 'store.worker'), { workerData: init })
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
    writeEvents(events) {
      for (const e of events) {
        if (e.assetId !== undefined && !assets.has(e.assetId))
          throw new VigilError('not-found', `history: event "${e.kind}" names unknown asset "${e.assetId}"`)
        if (!Number.isFinite(e.t))
          throw new VigilError('bad-request', `history: event "${e.kind}" has no finite time`)
      }
      link.post({ type: 'events', events })
    },
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
    events: (req) => query(() => logs.events(req)),
    stats: () =>
      query(() => {
        const [samples, values, predictions] = count.get() as [number, number, number]
        const size = (p: string) => (existsSync(p) ? statSync(p).size : 0)
        return { bytes: size(opts.path) + size(`${opts.path}-wal`), samples, values, predictions }
      }),
    flush: () => link.request('flush'),
    close() {
      closing ??= (async () => {
        db.close()
        try {
          await link.request('close')
        } finally {
          await link.stop()
        }
      })()
      return closing
    },
  }
}
