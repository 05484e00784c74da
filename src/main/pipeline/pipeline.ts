import { availableParallelism } from 'node:os'
import type { AssetConfig } from '../../shared/plant.ts'
import { VigilError } from '../../shared/errors.ts'
import type { SampleBatch } from '../../shared/samples.ts'
import type { LoadedModel } from '../models/registry.ts'
import { workerUrl } from '../worker-url.ts'
import { Coalescer } from './coalesce.ts'
import type { ModelConfig, PipelineResult, PipelineWorkerData } from './pipeline.worker.ts'
import { MAX_WINDOWS_PER_CALL, type CallStats } from './shared-calls.ts'
import { createShard, type ShardCounters, type WorkerCrash } from './worker-shard.ts'

export type { ShardCounters, WorkerCrash }

export interface Pipeline {
  /**
   * Validates and scores one batch; batches of one asset complete in the order given. A batch
   * whose thread dies is retried once on the new thread; it rejects when the batch is lost.
   */
  process(batch: SampleBatch): Promise<PipelineResult>
  /** Batches waiting or running, over all shards. */
  inFlight(): number
  /** Threads replaced since start, batches retried on a new thread, batches lost. */
  counters(): Readonly<ShardCounters>
  /** Samples sent to process() and not yet answered, over all shards: the pipeline's queue. */
  queuedSamples(): number
  /** How long the oldest unanswered batch has waited, ms (0: none). */
  oldestMs(): number
  /** Model calls so far: time in them, calls, windows scored, windows skipped by the stride. */
  calls(): Readonly<CallStats>
  /** ONNX sessions open over all threads, as each thread last answered. */
  sessions(): number
  /** Score every k-th new window of each asset from the next message on (load shedding). */
  setStride(k: number): void
  /** Each thread's CPU time per wall time (0..1) since the previous call (NaN: not known yet). */
  utilization(): number[]
  /**
   * Serves these models and asset model lists from each thread's next message on, without a
   * restart (a model fitted in the app). An asset keeps its validation and rolling state.
   */
  setModels(models: LoadedModel[], assets: AssetConfig[]): void
  shards: number
  close(): Promise<void>
}

export interface PipelineOptions {
  assets: AssetConfig[]
  models: LoadedModel[]
  /** Worker threads; each asset is pinned to one. Default: one per core, at most one per asset. */
  shards?: number
  rollingSize?: number
  /** Told when a thread dies, after its replacement was started. */
  onWorkerCrash?: (crash: WorkerCrash) => void
  /** A batch running longer than this is taken as a hung thread. Default 30 s. */
  taskTimeoutMs?: number
  /**
   * Tests only: another worker entry that wraps pipeline.worker.ts and can be told to die, so
   * the worker that ships holds no crash switch. Default: pipeline.worker.ts.
   */
  workerFile?: URL
  /**
   * Samples per message to a thread, at most (coalesce.ts). 1 is the unbatched baseline the
   * load benchmark compares with: one sample per message and one window per model call.
   * Default 20,000.
   */
  maxBatch?: number
  /** How long an idle thread waits for more batches before a message goes, ms. Default 0. */
  lingerMs?: number
}

/**
 * The pipeline's worker threads, one shard (worker-shard.ts) per thread: an asset's batches
 * keep their order and its validation and window state stays in one place, while a thread
 * that dies is replaced and its batch retried or counted as lost, never silently dropped.
 */
export function createPipeline(opts: PipelineOptions): Pipeline {
  const shards = Math.max(1, Math.min(opts.shards ?? availableParallelism(), opts.assets.length))
  // With as many shards as cores, onnxruntime gets one intra-op thread per shard so the
  // shards do not fight over the cores.
  const workerData: PipelineWorkerData = {
    assets: opts.assets,
    models: opts.models,
    intraOpThreads: 1,
    rollingSize: opts.rollingSize ?? 60,
  }
  const filename = (opts.workerFile ?? workerUrl('pipeline/pipeline.worker.ts', 'pipeline.worker')).href
  const counters: ShardCounters = { workerRestarts: 0, batchesRetried: 0, batchesLost: 0 }
  const pools = Array.from({ length: shards }, (_, index) =>
    createShard({
      index,
      assetIds: opts.assets.filter((_a, i) => i % shards === index).map((a) => a.id),
      filename,
      workerData,
      taskTimeoutMs: opts.taskTimeoutMs ?? 30_000,
      counters,
      onCrash: (c) => opts.onWorkerCrash?.(c),
    }),
  )
  // Generation 0 is what every thread starts with (workerData); a thread answers with the
  // generation it serves, so one started afresh after a crash is sent the newest again.
  let config: ModelConfig = { gen: 0, models: opts.models, assets: opts.assets }
  const served = pools.map(() => 0)
  const maxBatch = Math.max(1, opts.maxBatch ?? 20_000)
  const calls: CallStats = { modelMs: 0, modelCpuMs: 0, calls: 0, windows: 0, skipped: 0 }
  // Each thread's CPU time as of its last answer; a replaced thread starts again from 0.
  const threadCpu = pools.map(() => 0)
  // ONNX sessions each thread held at its last answer.
  const sessions = pools.map(() => 0)
  let lastCpu = pools.map(() => NaN)
  let lastAt = performance.now()
  let stride = 1
  const queues = pools.map(
    (pool, index) =>
      new Coalescer({
        maxSamples: maxBatch,
        lingerMs: maxBatch === 1 ? 0 : (opts.lingerMs ?? 0),
        maxWindows: maxBatch === 1 ? 1 : MAX_WINDOWS_PER_CALL,
        stride: () => stride,
        send: (task) => pool.run(served[index]! < config.gen ? { ...task, config } : task),
        onAnswer: ({ calls: c, threadCpuMs, gen, sessions: open }) => {
          served[index] = gen
          threadCpu[index] = threadCpuMs
          sessions[index] = open
          calls.modelMs += c.modelMs
          calls.modelCpuMs += c.modelCpuMs
          calls.calls += c.calls
          calls.windows += c.windows
          calls.skipped += c.skipped
        },
      }),
  )
  const queueOf = new Map(opts.assets.map((a, i) => [a.id, queues[i % shards]!]))
  const shardOf = new Map(opts.assets.map((a, i) => [a.id, pools[i % shards]!]))
  const tagsOf = new Map(opts.assets.map((a) => [a.id, a.tags.length]))
  let inFlight = 0

  return {
    shards,
    async process(batch) {
      const shard = shardOf.get(batch.assetId)
      if (!shard) throw new Error(`pipeline: no asset "${batch.assetId}" in this plant`)
      const problem = shapeProblem(batch, tagsOf.get(batch.assetId)!)
      if (problem) {
        counters.batchesLost++
        throw new VigilError(
          'bad-request',
          `pipeline: a batch for "${batch.assetId}" ${problem}; it was dropped`,
        )
      }
      inFlight++
      try {
        return await queueOf.get(batch.assetId)!.submit(batch)
      } finally {
        inFlight--
      }
    },
    inFlight: () => inFlight,
    counters: () => ({ ...counters }),
    queuedSamples: () => queues.reduce((n, q) => n + q.depth(), 0),
    oldestMs: () => queues.reduce((m, q) => Math.max(m, q.oldestMs()), 0),
    calls: () => ({ ...calls }),
    sessions: () => sessions.reduce((a, b) => a + b, 0),
    setStride(k) {
      stride = Math.max(1, Math.floor(k))
    },
    utilization() {
      const now = performance.now()
      const wall = now - lastAt
      const out = threadCpu.map((cpu, i) =>
        cpu >= lastCpu[i]! && wall > 0 ? (cpu - lastCpu[i]!) / wall : NaN,
      )
      lastCpu = [...threadCpu]
      lastAt = now
      return out
    },
    setModels(models, assets) {
      config = { gen: config.gen + 1, models, assets }
    },
    async close() {
      await Promise.all(pools.map((p) => p.close()))
    },
  }
}

/** A batch from a source must hold one column per tag, each as long as its time column. */
function shapeProblem(b: SampleBatch, tags: number): string | null {
  if (!(b.t instanceof Float64Array)) return 'has no Float64Array time column'
  if (!Array.isArray(b.values) || b.values.length !== tags)
    return `has ${Array.isArray(b.values) ? b.values.length : 'no'} value columns for ${tags} tags`
  for (let k = 0; k < tags; k++) {
    const col = b.values[k]
    if (!(col instanceof Float64Array) || col.length !== b.t.length)
      return `column ${k} holds ${col instanceof Float64Array ? col.length : 'no'} values for ${b.t.length} times`
  }
  return null
}
