import { availableParallelism } from 'node:os'
import { Piscina } from 'piscina'
import type { AssetConfig } from '../../shared/plant.ts'
import type { SampleBatch } from '../../shared/samples.ts'
import type { LoadedModel } from '../models/registry.ts'
import { workerUrl } from '../worker-url.ts'
import type { PipelineResult, PipelineWorkerData } from './pipeline.worker.ts'

export interface Pipeline {
  /** Validates and scores one batch; batches of one asset complete in the order given. */
  process(batch: SampleBatch): Promise<PipelineResult>
  /** Batches waiting or running, over all shards. */
  inFlight(): number
  shards: number
  close(): Promise<void>
}

export interface PipelineOptions {
  assets: AssetConfig[]
  models: LoadedModel[]
  /** Worker threads; each asset is pinned to one. Default: one per core, at most one per asset. */
  shards?: number
  rollingSize?: number
}

/**
 * The pipeline's worker threads. Each shard is a Piscina pool of exactly one thread, so an
 * asset's batches keep their order and its validation and window state stays in one place,
 * while Piscina brings task queuing, transfer and restart of a crashed thread.
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
  const filename = workerUrl('pipeline/pipeline.worker.ts', 'pipeline.worker').href
  const pools = Array.from(
    { length: shards },
    () =>
      new Piscina({
        filename,
        workerData,
        minThreads: 1,
        maxThreads: 1,
        concurrentTasksPerWorker: 1,
        idleTimeout: Infinity,
      }),
  )
  const shardOf = new Map(opts.assets.map((a, i) => [a.id, pools[i % shards]!]))
  let inFlight = 0

  return {
    shards,
    async process(batch) {
      const pool = shardOf.get(batch.assetId)
      if (!pool) throw new Error(`pipeline: no asset "${batch.assetId}" in this plant`)
      inFlight++
      try {
        const transferList = [batch.t.buffer, ...batch.values.map((v) => v.buffer)] as ArrayBuffer[]
        return (await pool.run({ batch }, { transferList })) as PipelineResult
      } finally {
        inFlight--
      }
    },
    inFlight: () => inFlight,
    async close() {
      await Promise.all(pools.map((p) => p.close({ force: true })))
    },
  }
}
