import type { PredictionBatch } from '../../shared/samples.ts'
import type { Predictor, PredictorOutputs } from '../models/predictor.ts'
import type { AssetPrediction, Collected } from './asset-prediction.ts'
import type { CallStats } from './shared-calls.ts'

/** One batch of one asset for one of its predictors. */
export interface PredictItem {
  predictor: AssetPrediction
  t: Float64Array
  values: Float64Array[]
  quality: Uint8Array[]
}

/** The inputs of every part, one after another, as one call takes them. */
function concat(parts: Collected[], per: number): Float64Array {
  const out = new Float64Array(parts.reduce((n, c) => n + c.n * per, 0))
  let at = 0
  for (const c of parts) {
    out.set(c.inputs.subarray(0, c.n * per), at)
    at += c.n * per
  }
  return out
}

/**
 * The predictions of a task: every asset's due inputs for one predictor go to onnxruntime in
 * one call (predictions are rare, a few per asset a minute, so one call per model per task is
 * what a hundred assets cost). The PredictionBatch of each item, or null when it made none due.
 */
export async function runPredictions(
  items: PredictItem[],
  stats: CallStats,
): Promise<(PredictionBatch | null)[]> {
  const out: (PredictionBatch | null)[] = items.map(() => null)
  const byModel = new Map<Predictor, number[]>()
  items.forEach((it, i) => {
    const list = byModel.get(it.predictor.p)
    if (list) list.push(i)
    else byModel.set(it.predictor.p, [i])
  })
  for (const [p, idx] of byModel) {
    const collected = idx.map((i) => {
      const it = items[i]!
      return it.predictor.collect(it.t, it.values, it.quality)
    })
    const N = collected.reduce((n, c) => n + c.n, 0)
    if (N === 0) continue
    const per = p.window * p.tags.length
    const started = performance.now()
    const cpu0 = process.threadCpuUsage()
    const o: PredictorOutputs = await p.predict(concat(collected, per), N)
    const ms = performance.now() - started
    const cpu = process.threadCpuUsage(cpu0)
    stats.modelMs += ms
    stats.modelCpuMs += (cpu.user + cpu.system) / 1000
    stats.calls++
    stats.windows += N
    let at = 0
    idx.forEach((i, j) => {
      const c = collected[j]!
      if (c.n > 0) out[i] = items[i]!.predictor.finish(c, o, at, ms / N)
      at += c.n
    })
  }
  return out
}
