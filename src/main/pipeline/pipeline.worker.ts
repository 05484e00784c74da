/*
 * A pipeline worker thread (a Piscina pool of one thread per shard, so every batch of an
 * asset reaches the same thread in order and its rolling state lives here). Each task holds
 * the batches of any of the thread's assets that arrived since the last one (coalesce.ts):
 * validate each batch (quality per value), update rolling mean/std, then score the new
 * windows of all of them, one model call per detector for up to maxWindows windows
 * (shared-calls.ts), and run the predictors (rul, defect, policy) whose inputs came due, one
 * call per predictor (shared-predictions.ts). Raw values are returned untouched.
 */
import { workerData } from 'piscina'
import type { AssetConfig } from '../../shared/plant.ts'
import type { PredictionBatch, SampleBatch, ScoreBatch } from '../../shared/samples.ts'
import { isDetector, openDetector } from '../models/fit/open-detector.ts'
import { openPredictor, type Predictor } from '../models/predictor.ts'
import type { LoadedModel } from '../models/registry.ts'
import type { Autoencoder } from '../models/autoencoder.ts'
import { AssetPrediction } from './asset-prediction.ts'
import { AssetScoring } from './asset-scoring.ts'
import { RollingStats } from './rolling-stats.ts'
import { MAX_WINDOWS_PER_CALL, SharedCalls, type CallStats, type ScoreItem } from './shared-calls.ts'
import { runPredictions, type PredictItem } from './shared-predictions.ts'
import { createValidator, validateBatch, type Validator } from './validate.ts'

export interface PipelineWorkerData {
  assets: AssetConfig[]
  models: LoadedModel[]
  intraOpThreads: number
  /** Samples in the rolling mean/std window. */
  rollingSize: number
}

/**
 * The models and assets a thread serves, numbered: a model fitted while the engine runs
 * reaches the threads as a new generation with their next task (pipeline.ts), and a thread
 * started afresh after a crash says it has generation 0, so it is sent the newest again.
 */
export interface ModelConfig {
  gen: number
  models: LoadedModel[]
  assets: AssetConfig[]
}

/** One message to a pipeline thread: batches of its assets, in arrival order. */
export interface PipelineTask {
  batches: SampleBatch[]
  /** Windows per model call, at most; 1 is the unbatched baseline. Default MAX_WINDOWS_PER_CALL. */
  maxWindows?: number
  /** Score every stride-th new window of each asset (load shedding). Default 1: every window. */
  stride?: number
  /** A newer generation of models and assets than the thread had. */
  config?: ModelConfig
}

export interface TaskResult {
  /** One per batch of the task, in its order. */
  results: PipelineResult[]
  calls: CallStats
  /** CPU time this thread has used since it started, ms. */
  threadCpuMs: number
  /** ONNX sessions this thread holds open after the task. */
  sessions: number
  /** The generation of models this thread serves (ModelConfig.gen). */
  gen: number
}

export interface PipelineResult {
  batch: SampleBatch & { quality: Uint8Array[] }
  rolling: { mean: Float64Array; std: Float64Array }
  scores: ScoreBatch[]
  /** Outputs of the asset's predictors (rul, defect, policy) that came due in this batch. */
  predictions: PredictionBatch[]
  /** Models that could not be applied to this asset, with why. */
  errors: string[]
}

interface AssetState {
  validator: Validator
  rolling: RollingStats
  scorers: AssetScoring[]
  predictors: AssetPrediction[]
  errors: string[]
}

const data = workerData as PipelineWorkerData
let config: ModelConfig = { gen: 0, models: data.models, assets: data.assets }
const states = new Map<string, Promise<AssetState>>()
/** One session per model per thread: its assets' windows meet in the same calls. */
const detectors = new Map<string, Promise<Autoencoder>>()
const predictors = new Map<string, Promise<Predictor>>()
const shared = new SharedCalls()

/**
 * Sessions are keyed by file and whole card (its hash included): a model folder replaced under
 * the same id opens anew, also when only its card changed (a re-fit's threshold or scaler over
 * the same graph), since the scorer takes those from the card it was opened with.
 */
const keys = new WeakMap<LoadedModel, string>()
function keyOf(m: LoadedModel): string {
  let k = keys.get(m)
  // Once per model object: the card's text is built on the first batch, not on every one.
  if (k === undefined) keys.set(m, (k = `${m.onnxPath}\u0000${JSON.stringify(m.card)}`))
  return k
}

function cached<T>(map: Map<string, Promise<T>>, model: LoadedModel, open: () => Promise<T>): Promise<T> {
  let d = map.get(keyOf(model))
  if (!d) {
    d = open()
    map.set(keyOf(model), d)
  }
  return d
}

const opts = () => ({ intraOpThreads: data.intraOpThreads })

/** The asset's detectors and predictors, by its model list; what cannot be applied is said in errors. */
async function initModels(
  asset: AssetConfig,
): Promise<Pick<AssetState, 'scorers' | 'predictors' | 'errors'>> {
  const scorers: AssetScoring[] = []
  const predictions: AssetPrediction[] = []
  const errors: string[] = []
  for (const id of asset.models) {
    const model = config.models.find((m) => m.card.id === id)
    if (!model) {
      errors.push(`asset "${asset.id}" names model "${id}", which is not loaded`)
      continue
    }
    try {
      if (isDetector(model))
        scorers.push(
          new AssetScoring(await cached(detectors, model, () => openDetector(model, opts())), asset),
        )
      else
        predictions.push(
          new AssetPrediction(await cached(predictors, model, () => openPredictor(model, opts())), asset),
        )
    } catch (e) {
      errors.push(e instanceof Error ? e.message : String(e))
    }
  }
  return { scorers, predictors: predictions, errors }
}

async function initAsset(asset: AssetConfig): Promise<AssetState> {
  return {
    validator: createValidator(asset.tags),
    rolling: new RollingStats(asset.tags.length, data.rollingSize),
    ...(await initModels(asset)),
  }
}

/**
 * A new generation of models: each asset already running keeps its validation and rolling
 * state and the scorers of models it had; models new to it start from their first window.
 */
async function applyConfig(next: ModelConfig): Promise<void> {
  if (next.gen <= config.gen) return
  config = next
  for (const [id, pending] of states) {
    const asset = config.assets.find((a) => a.id === id)
    if (!asset) {
      // No longer in the plant: forgotten, so no state holds a session closed below.
      states.delete(id)
      continue
    }
    const s = await pending
    const next = await initModels(asset)
    // A model the asset had keeps its half-built window, RUL ring or cast under way.
    next.scorers = next.scorers.map((n) => s.scorers.find((o) => o.ae === n.ae) ?? n)
    next.predictors = next.predictors.map((n) => s.predictors.find((o) => o.p === n.p) ?? n)
    Object.assign(s, next)
  }
  closeUnserved()
}

/**
 * Closes the sessions of models the new generation no longer has (a folder replaced by a
 * re-fit or removed): every asset's scorers were rebuilt from the new list just now, so none
 * uses them, and a thread runs one task at a time, so no call is under way on them. Without
 * this, each re-fit of a user model served for days would leave a session open in every thread.
 */
function closeUnserved(): void {
  const live = new Set(config.models.map(keyOf))
  for (const map of [detectors, predictors] as Map<string, Promise<{ close(): Promise<void> }>>[])
    for (const [key, pending] of map) {
      if (live.has(key)) continue
      map.delete(key)
      // One that failed to open holds nothing to close (its error was reported then).
      pending.then((m) => m.close()).catch(() => {})
    }
}

function stateFor(assetId: string): Promise<AssetState> {
  let s = states.get(assetId)
  if (!s) {
    const asset = config.assets.find((a) => a.id === assetId)
    if (!asset) throw new Error(`pipeline: no asset "${assetId}" in this plant`)
    s = initAsset(asset)
    states.set(assetId, s)
  }
  return s
}

export default async function run(task: PipelineTask): Promise<TaskResult> {
  if (task.config) await applyConfig(task.config)
  const calls: CallStats = { modelMs: 0, modelCpuMs: 0, calls: 0, windows: 0, skipped: 0 }
  const stride = task.stride ?? 1
  const items: ScoreItem[] = []
  const owner: number[] = []
  const predictItems: PredictItem[] = []
  const predictOwner: number[] = []
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
    for (const predictor of s.predictors) {
      predictItems.push({ predictor, t: batch.t, values: batch.values, quality })
      predictOwner.push(results.length)
    }
    results.push({
      batch: { ...batch, quality },
      rolling: { mean, std },
      scores: [],
      predictions: [],
      errors: s.errors,
    })
  }
  const scores = await shared.run(items, task.maxWindows ?? MAX_WINDOWS_PER_CALL, calls)
  scores.forEach((sb, j) => {
    if (sb) results[owner[j]!]!.scores.push(sb)
  })
  const predictions = await runPredictions(predictItems, calls)
  predictions.forEach((pb, j) => {
    if (pb) results[predictOwner[j]!]!.predictions.push(pb)
  })
  const cpu = process.threadCpuUsage()
  return {
    results,
    calls,
    threadCpuMs: (cpu.user + cpu.system) / 1000,
    gen: config.gen,
    sessions: detectors.size + predictors.size,
  }
}
