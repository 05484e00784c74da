import { z } from 'zod'
import { alarmChannels } from './alarm-channels.ts'
import { importChannels } from './import-channels.ts'
import { simChannels } from './sim-channels.ts'
import { opcuaChannels } from './opcua-channels.ts'
import { historyChannels } from './history-channels.ts'
import { modelChannels } from './model-channels.ts'
import { thresholdChannels } from './threshold-channels.ts'
import { kpiChannels } from './kpi-channels.ts'
import { assistantChannels } from './assistant-channels.ts'
import { secretChannels } from './secret-channels.ts'
import { optimizerChannels } from './optimizer-channels.ts'
import { ModelCard } from './model-card.ts'
import {
  FaultKinds,
  type ActiveFault,
  type PredictionBatch,
  type SampleBatch,
  type ScoreBatch,
  type SourceStatus,
} from './samples.ts'
import { AssetClass, TagConfig } from './plant.ts'

/*
 * The contract: every channel between the renderer and the engine, declared once. Main
 * validates every request against `req` at the boundary (Electron IPC and WebSocket alike);
 * preload and renderer take their types from here.
 */

const AssetId = z.string().min(1).max(100)
const Time = z.number().finite()

export const AssetView = z.object({
  id: z.string(),
  name: z.string(),
  class: AssetClass,
  tags: z.array(TagConfig),
  models: z.array(
    z.object({
      id: z.string(),
      version: z.string(),
      threshold: z.number(),
      window: z.number(),
      /** The card's kind: a window detector (autoencoder, pca, classifier) or a predictor (rul, defect, policy). */
      kind: z.string().optional(),
    }),
  ),
  /** 'imported': in the history only (a CSV imported as a new asset), with no live source. Absent: configured. */
  origin: z.enum(['configured', 'imported']).optional(),
})
export type AssetView = z.infer<typeof AssetView>

/** Min and max per time bucket, so a spike survives decimation; raw=true means one value per point. */
export interface SeriesBlock {
  assetId: string
  tags: string[]
  t: Float64Array
  min: Float64Array[]
  max: Float64Array[]
  raw: boolean
  /** Per tag: each value's quality flags (quality.ts) when raw, else the OR of the flags in each bucket. */
  quality?: Uint8Array[]
}

export interface LiveSnapshot {
  samples: SampleBatch
  scores: ScoreBatch | null
  faults: ActiveFault[]
  status: SourceStatus | null
  /** Windows scored and windows found ANOMALY since the engine started: the running counts. */
  counts: { windows: number; anomalies: number }
  /**
   * The latest prediction of each of the asset's predictors (RUL, defect, setpoint advice) since
   * the engine started, one row each: a client shows them at once rather than after the next.
   */
  predictions: PredictionBatch[]
}

export interface Percentiles {
  p50: number
  p95: number
  p99: number
}

export interface Health {
  startedAt: number
  samplesIn: number
  windowsScored: number
  samplesStored: number
  dropped: number
  /** Pipeline threads replaced after they died (crash, uncaught error, hung past the time limit). */
  workerRestarts: number
  /** Batches sent once more to a new thread because theirs died holding them. */
  batchesRetried: number
  /** Batches not processed (their thread died twice, or the batch itself failed); their samples are in `dropped`. */
  batchesLost: number
  /** Sample arrival to model output published, ms. */
  pipelineLatencyMs: Percentiles
  dbBytes: number
  sources: SourceStatus[]
  models: { id: string; version: string }[]
  modelErrors: { folder: string; message: string }[]
  clients: number
  /** The history store: unavailable (disk or size cap full, writer failed) with the reason. */
  store?: StoreStatus
  /** What the engine sheds under overload, and what it has shed (engine/load-shed.ts). */
  load?: LoadStatus
  /** The engine process's memory, bytes (process.memoryUsage). */
  memory?: { rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number }
  /** Per asset: samples received since start and the newest sample's time (null: none yet). */
  assets?: { assetId: string; samplesIn: number; lastSampleAt: number | null }[]
}

/**
 * Under overload the engine sheds in a stated order: first live updates to clients go coarse
 * (merged, sent every liveIntervalMs), then model windows are strided (1 in `stride` scored);
 * raw samples are always stored. Past the queue's bound, batches skip validation and go
 * straight to the store (samplesUnchecked). Stages step back down as the load falls.
 */
export interface LoadStatus {
  /** 0 normal; 1 coarse live updates; 2 and up: also model windows strided. */
  stage: number
  stride: number
  liveIntervalMs: number
  /** What is shed now, in words ('' when nothing is). */
  message: string
  /** In this stage since (epoch ms). */
  since: number
  /** Samples (timestamps) in the pipeline now, the most seen, the bound; the oldest one's wait, ms. */
  queue: { samples: number; peak: number; bound: number; oldestMs: number }
  shed: { liveMessagesMerged: number; windowsSkipped: number; samplesUnchecked: number }
  /**
   * Time in model calls (wall ms, and CPU ms of the threads), calls made and windows scored,
   * since start; ONNX sessions the threads hold open now (one per model per thread).
   */
  models: { ms: number; cpuMs: number; calls: number; windows: number; sessions: number }
  /** Each pipeline thread's CPU share of one core (0..1) since the previous health call. */
  threads: number[]
  /** How many times each stage was entered since start (index = stage). */
  entered: number[]
}

/** Unavailable while the history cannot commit; batches wait in memory (backlog) meanwhile. */
export interface StoreStatus {
  state: 'ok' | 'unavailable'
  message?: string
  /** In this state since (epoch ms). */
  since: number
  /** Values waiting to be committed. */
  backlog: number
  /** Values dropped because the backlog outgrew its bound while unavailable. */
  dropped: number
}

/** The history file: size, rows per table, what each asset holds, and the policies applied to it. */
export interface HistoryStats {
  path: string
  /** Database file plus its write-ahead log, on disk. */
  bytes: number
  walBytes: number
  pageSize: number
  pages: number
  /** Pages freed by retention, reused before the file grows. */
  freePages: number
  rows: Record<string, number>
  /** Stored timestamps and values (timestamps x tags), over all assets. */
  samples: number
  values: number
  assets: {
    assetId: string
    from: number | null
    to: number | null
    samples: number
    rawHorizon: number | null
  }[]
  retention: { rawDays?: number; rollupDays?: number; predictionDays?: number }
  maxBytes: number | null
  status: StoreStatus
}

/** A range of one asset's tags as CSV: a time column (ISO 8601, UTC) and one column per tag. */
export interface CsvExport {
  filename: string
  csv: string
  rows: number
}

const FaultReq = z
  .object({
    assetId: AssetId,
    fault: z.enum(FaultKinds),
    tag: z.string().optional(),
    /** Simulated seconds to full severity: bearing wear takes hours in a plant, minutes in a demo. */
    rampS: z
      .number()
      .min(0)
      .max(7 * 24 * 3600)
      .optional(),
    severity: z.number().min(0).max(1).optional(),
  })
  .strict()

const res = <T>() => z.custom<T>(() => true)

export const contract = {
  'plant.describe': { req: z.object({}).strict(), res: res<{ name: string; assets: AssetView[] }>() },
  'live.snapshot': {
    req: z
      .object({
        assetId: AssetId,
        seconds: z
          .number()
          .positive()
          .max(24 * 3600),
      })
      .strict(),
    res: res<LiveSnapshot>(),
  },
  'history.range': {
    req: z
      .object({
        assetId: AssetId,
        tags: z.array(z.string()).max(200).optional(),
        from: Time,
        to: Time,
        maxPoints: z.number().int().min(2).max(20000),
      })
      .strict()
      .refine((r) => r.from < r.to, { message: 'from must be before to', path: ['to'] }),
    res: res<SeriesBlock>(),
  },
  'sim.inject': { req: FaultReq, res: res<{ active: ActiveFault[] }>() },
  'sim.clear': {
    req: z.object({ assetId: AssetId, fault: z.enum(FaultKinds).optional() }).strict(),
    res: res<{ active: ActiveFault[] }>(),
  },
  'models.list': {
    req: z.object({}).strict(),
    res: res<{ models: ModelCard[]; errors: { folder: string; message: string }[] }>(),
  },
  'system.health': { req: z.object({}).strict(), res: res<Health>() },
  'history.stats': { req: z.object({}).strict(), res: res<HistoryStats>() },
  /** The renderer saves the text as a download: a file dialog in the desktop app, the browser's in headless mode. */
  'history.export': {
    req: z
      .object({
        assetId: AssetId,
        tags: z.array(z.string()).max(200).optional(),
        from: Time.optional(),
        to: Time.optional(),
      })
      .strict(),
    res: res<CsvExport>(),
  },
  ...alarmChannels,
  ...importChannels,
  ...simChannels,
  ...opcuaChannels,
  ...historyChannels,
  ...modelChannels,
  ...thresholdChannels,
  ...kpiChannels,
  ...assistantChannels,
  ...secretChannels,
  ...optimizerChannels,
} as const

export type Contract = typeof contract
export type Method = keyof Contract
export type Req<M extends Method> = z.input<Contract[M]['req']>
export type Res<M extends Method> = z.infer<Contract[M]['res']>
export const methods = Object.keys(contract) as Method[]
export const isMethod = (m: string): m is Method => Object.hasOwn(contract, m)
