/*
 * A pipeline worker thread (a Piscina pool of one thread per shard, so every batch of an
 * asset reaches the same thread in order and its rolling state lives here). Each task holds
 * the batches of any of the thread's assets that arrived since the last one (coalesce.ts):
 * validate each batch (quality per value), update rolling mean/std, then score the new
 * windows of all of them, one model call per detector for up to maxWindows windows
 * (shared-calls.ts). Raw values are returned untouched.
 */
import { workerData } from 'piscina'
import type { AssetConfig } from '../../shared/plant.ts'
import type { SampleBatch, ScoreBatch } from '../../shared/samples.ts'
import { openDetector } from '../models/fit/open-detector.ts'
import type { LoadedModel } from '../models/registry.ts'
import type { Autoencoder } from '../models/autoencoder.ts'
import { AssetScoring } from './asset-scoring.ts'
import { RollingStats } from './rolling-stats.ts'
import { SharedCalls, type CallStats, type ScoreItem } from './shared-calls.ts'
import { createValidator, validateBatch, type Validator } from './validate.ts'

export interface PipelineWorkerData {
  assets: AssetConfig[]
  models: LoadedModel[]
  intraOpThreads: number
  /** Samples in the rolling mean/std window. */
  rollingSize: number
}

/** One message to a pipeline thread: batches of its assets, in arrival order. */
export interface PipelineTask {
  batches: SampleBatch[]
  /** Windows per model call, at most; 1 is the unbatched baseline. Default 128. */
  maxWindows?: number
  /** Score every stride-th new window of each asset (load shedding). Default 1: every window. */
  stride?: number
}

export interface TaskResult {
  /** One per batch of the task, in its order. */
  results: PipelineResult[]
  calls: CallStats
  /** CPU time this thread has used since it started, ms. */
  threadCpuMs: number
}

export interface PipelineResult {
  batch: SampleBatch & { quality: Uint8Array[] }
  rolling: { mean: Float64Array; std: Float64Array }
  scores: ScoreBatch[]
  /** Models that could not be applied to this asset, with why. */
  errors: string[]
}

interface AssetState {
  validator: Validator
  rolling: RollingStats
  scorers: AssetScoring[]
  errors: string[]
}

const data = workerData as PipelineWorkerData
const states = new Map<string, Promise<AssetState>>()
/** One session per model per thread: its assets' windows meet in the same calls. */
const detectors = new Map<string, Promise<Autoencoder>>()
const shared = new SharedCalls()
/** Past this many windows per call the pump autoencoder gets slower per window (cache). */
const MAX_WINDOWS = 128

function detector(model: LoadedModel): Promise<Autoencoder> {
  let d = detectors.get(model.card.id)
  if (!d) {
    d = openDetector(model, { intraOpThreads: data.intraOpThreads })
    detectors.set(model.card.id, d)
  }
  return d
}

async function initAsset(asset: AssetConfig): Promise<AssetState> {
  const scorers: AssetScoring[] = []
  const errors: string[] = []
  for (const id of asset.models) {
    const model = data.models.find((m) => m.card.id === id)
    if (!model) {
      errors.push(`asset "${asset.id}" names model "${id}", which is not loaded`)
      continue
    }
    try {
      const ae = await detector(model)
      scorers.push(new AssetScoring(ae, asset))
    } catch (e) {
      errors.push(e instanceof Error ? e.message : String(e))
    }
  }
  return {
    validator: createValidator(asset.tags),
    rolling: new RollingStats(asset.tags.length, data.rollingSize),
    scorers,
    errors,
  }
}

function stateFor(assetId: string): Promise<AssetState> {
  let s = states.get(assetId)
  if (!s) {
    const asset = data.assets.find((a) => a.id === assetId)
    if (!asset) throw new Error(`pipeline: no asset "${assetId}" in this plant`)
    s = initAsset(asset)
    states.set(assetId, s)
  }
  return s
}

export default async function run(task: PipelineTask): Promise<TaskResult> {
  const calls: CallStats = { modelMs: 0, modelCpuMs: 0, calls: 0, windows: 0, skipped: 0 }
  const stride = task.stride ?? 1
  const items: ScoreItem[] = []
  const owner: number[] = []
  const results: PipelineResult[] = []
  for (const batch of task.batches) {
    const s = await stateFor(batch.assetId)
    const n = batch.t.length
    const quality = batch.values.map(() => new Uint8Array(n))
    validateBatch(s.validator, batch.t, batch.values, quality)
    // A source's own flags (an OPC UA Uncertain status) are kept beside validation's findings.
    if (batch.quality)
      for (let k = 0; k < quality.length; k++) {
        const q = quality[k]!
        const given = batch.quality[k]
        if (given) for (let i = 0; i < n; i++) q[i]! |= given[i]!
      }
    for (let i = 0; i < n; i++) s.rolling.push(batch.values, i)
    const mean = new Float64Array(batch.values.length)
    const std = new Float64Array(batch.values.length)
    s.rolling.read(mean, std)
    for (const scorer of s.scorers) {
      scorer.stride = stride
      items.push({ scorer, t: batch.t, values: batch.values, quality })
      owner.push(results.length)
    }
    results.push({ batch: { ...batch, quality }, rolling: { mean, std }, scores: [], errors: s.errors })
  }
  const scores = await shared.run(items, task.maxWindows ?? MAX_WINDOWS, calls)
  scores.forEach((sb, j) => {
    if (sb) results[owner[j]!]!.scores.push(sb)
  })
  const cpu = process.threadCpuUsage()
  return { results, calls, threadCpuMs: (cpu.user + cpu.system) / 1000 }
}
