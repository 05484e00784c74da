import { VigilError } from '../../shared/errors.ts'
import type { AssetConfig } from '../../shared/plant.ts'
import type { PredictionBatch, SampleBatch, ScoreBatch } from '../../shared/samples.ts'

const bad = (message: string) => new VigilError('bad-request', message)

/**
 * Refuses a batch the writer could not store faithfully, on the caller's thread, so the error
 * names the asset and column instead of killing the writer. O(n) reads, no allocation.
 */
export function checkSampleBatch(b: SampleBatch, asset: AssetConfig | undefined): void {
  if (!asset) throw new VigilError('not-found', `history: no asset "${b.assetId}" in the plant configuration`)
  const where = `history: sample batch for asset "${b.assetId}"`
  const n = b.t.length
  if (b.values.length !== asset.tags.length) {
    throw bad(`${where} has ${b.values.length} value columns; the asset has ${asset.tags.length} tags`)
  }
  if (b.quality && b.quality.length !== asset.tags.length) {
    throw bad(`${where} has ${b.quality.length} quality columns; the asset has ${asset.tags.length} tags`)
  }
  asset.tags.forEach((tag, k) => {
    const len = b.values[k]!.length
    if (len !== n) throw bad(`${where}: column "${tag.id}" holds ${len} values for ${n} times`)
    const q = b.quality?.[k]?.length ?? n
    if (q !== n) throw bad(`${where}: quality of "${tag.id}" holds ${q} flags for ${n} times`)
  })
  checkTimes(b.t, where)
}

export function checkScoreBatch(b: ScoreBatch, asset: AssetConfig | undefined): void {
  if (!asset) throw new VigilError('not-found', `history: no asset "${b.assetId}" in the plant configuration`)
  const where = `history: score batch of model "${b.modelId}" for asset "${b.assetId}"`
  const n = b.t.length
  const width = n * b.tags.length
  if (b.score.length !== n || b.anomaly.length !== n)
    throw bad(`${where}: score and anomaly must hold ${n} windows`)
  if (b.contrib.length !== width || b.sensorState.length !== width) {
    throw bad(`${where}: contrib and sensorState must hold ${n} x ${b.tags.length} values`)
  }
  for (let i = 0; i < n; i++)
    if (!Number.isFinite(b.t[i])) throw bad(`${where}: window ${i} has no finite time`)
}

export function checkPredictionBatch(b: PredictionBatch, asset: AssetConfig | undefined): void {
  if (!asset) throw new VigilError('not-found', `history: no asset "${b.assetId}" in the plant configuration`)
  const where = `history: prediction batch of model "${b.modelId}" for asset "${b.assetId}"`
  const n = b.t.length
  const cols = {
    value: b.value,
    flagged: b.flagged,
    spread: b.spread,
    confidence: b.confidence,
    unit: b.unit,
    ...b.members,
  }
  for (const [name, c] of Object.entries(cols))
    if (c !== undefined && c.length !== n)
      throw bad(`${where}: ${name} must hold ${n} predictions, not ${c.length}`)
  if (b.actions && b.actions.length !== n * (b.actionTags?.length ?? -1))
    throw bad(`${where}: actions must hold ${n} x ${b.actionTags?.length ?? '(no actionTags)'} values`)
  for (let i = 0; i < n; i++)
    if (!Number.isFinite(b.t[i])) throw bad(`${where}: prediction ${i} has no finite time`)
}

/** Times must be finite and ascending (equal neighbours allowed): blocks rely on it. */
function checkTimes(t: Float64Array, where: string): void {
  let prev = -Infinity
  for (let i = 0; i < t.length; i++) {
    const x = t[i]!
    if (!Number.isFinite(x)) throw bad(`${where}: time ${i} is ${x}`)
    if (x < prev) throw bad(`${where}: time ${i} (${x}) goes back in time from ${prev}`)
    prev = x
  }
}

/** The distinct buffers under some arrays, for a postMessage transfer list. */
export function buffersOf(arrays: ArrayBufferView[]): ArrayBuffer[] {
  const set = new Set<ArrayBuffer>()
  for (const a of arrays) if (!(a.buffer instanceof SharedArrayBuffer)) set.add(a.buffer as ArrayBuffer)
  return [...set]
}

/** A query's span and resolution; the contract checks the same at the boundary, this guards other callers. */
export function checkSpan(req: { from: number; to: number; maxPoints: number }, what: string): void {
  if (!(Number.isFinite(req.from) && Number.isFinite(req.to) && req.from < req.to)) {
    throw bad(`history: ${what}: from (${req.from}) must be a time before to (${req.to})`)
  }
  if (!Number.isInteger(req.maxPoints) || req.maxPoints < 1 || req.maxPoints > 1_000_000) {
    throw bad(`history: ${what}: maxPoints must be a whole number from 1 to 1000000, not ${req.maxPoints}`)
  }
}
