/*
 * A pipeline worker thread (a Piscina pool of one thread per shard, so every batch of an
 * asset reaches the same thread in order and its rolling state lives here). Each task:
 * validate the batch (quality per value), update rolling mean/std, assemble and score new
 * windows with each of the asset's models. Raw values are returned untouched.
 */
import { workerData } from 'piscina'
import type { AssetConfig } from '../../shared/plant.ts'
import type { SampleBatch, ScoreBatch } from '../../shared/samples.ts'
import { openAutoencoder } from '../models/autoencoder.ts'
import type { LoadedModel } from '../models/registry.ts'
import { AssetScoring } from './asset-scoring.ts'
import { RollingStats } from './rolling-stats.ts'
import { createValidator, validateBatch, type Validator } from './validate.ts'

export interface PipelineWorkerData {
  assets: AssetConfig[]
  models: LoadedModel[]
  intraOpThreads: number
  /** Samples in the rolling mean/std window. */
  rollingSize: number
}

export interface PipelineTask {
  batch: SampleBatch
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
      const ae = await openAutoencoder(model, { intraOpThreads: data.intraOpThreads })
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

export default async function run({ batch }: PipelineTask): Promise<PipelineResult> {
  const s = await stateFor(batch.assetId)
  const n = batch.t.length
  const quality = batch.values.map(() => new Uint8Array(n))
  validateBatch(s.validator, batch.t, batch.values, quality)
  for (let i = 0; i < n; i++) s.rolling.push(batch.values, i)
  const mean = new Float64Array(batch.values.length)
  const std = new Float64Array(batch.values.length)
  s.rolling.read(mean, std)
  const scores: ScoreBatch[] = []
  for (const scorer of s.scorers) {
    const out = await scorer.score(batch.t, batch.values, quality)
    if (out) scores.push(out)
  }
  return { batch: { ...batch, quality }, rolling: { mean, std }, scores, errors: s.errors }
}
