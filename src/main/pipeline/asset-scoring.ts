import type { AssetConfig } from '../../shared/plant.ts'
import { Q } from '../../shared/quality.ts'
import { SensorState, type ScoreBatch } from '../../shared/samples.ts'
import type { Autoencoder } from '../models/autoencoder.ts'
import { WindowAssembler } from './window-assembler.ts'

/** A contribution this many times an equal share marks its sensor ANOMALOUS in an anomalous window. */
export const ANOMALOUS_SHARE = 1.5

/** One batch's windows, written by assemble() and read back by finish(). */
export interface Assembled {
  n: number
  /** Sample index each window ends at. */
  ends: Int32Array
  t: Float64Array
  values: Float64Array[]
  quality: Uint8Array[]
}

/**
 * One autoencoder applied to one asset: picks the model's input tags out of the asset's
 * columns, assembles windows and turns the model's scores into a ScoreBatch with a state per
 * sensor. In two halves, so the windows of many assets can share one model call
 * (shared-calls.ts): assemble() writes this batch's windows where the caller says, finish()
 * reads the scores back. Buffers are sized once for the largest batch seen and reused.
 */
export class AssetScoring {
  readonly ae: Autoencoder
  private readonly asset: AssetConfig
  /** Asset column index of each model input, in the model's tag order. */
  private readonly columnOf: number[]
  private readonly assembler: WindowAssembler
  private readonly modelCols: Float64Array[] = []
  private windows = new Float64Array(0)

  constructor(ae: Autoencoder, asset: AssetConfig, stride = 1) {
    this.ae = ae
    this.asset = asset
    this.columnOf = ae.tags.map((id) => {
      const k = asset.tags.findIndex((t) => t.id === id)
      if (k < 0)
        throw new Error(`model "${ae.id}" needs tag "${id}", which asset "${asset.id}" does not have`)
      return k
    })
    this.assembler = new WindowAssembler(ae.window, ae.tags.length, stride)
  }

  /** Score every stride-th new window (load shedding); windows skipped so far. */
  set stride(k: number) {
    this.assembler.stride = Math.max(1, Math.floor(k))
  }
  get skipped(): number {
    return this.assembler.skipped
  }

  /**
   * Writes the batch's new windows into `out` (row-major [n][window][tags], at most t.length
   * of them). Batches of this asset must be assembled in their order; several may be assembled
   * before their scores are read back.
   */
  assemble(t: Float64Array, values: Float64Array[], quality: Uint8Array[], out: Float64Array): Assembled {
    const ends = new Int32Array(t.length)
    for (let j = 0; j < this.columnOf.length; j++) this.modelCols[j] = values[this.columnOf[j]!]!
    const n = this.assembler.push(this.modelCols, 0, t.length, out, ends)
    return { n, ends, t, values, quality }
  }

  /** The ScoreBatch of assembled windows whose scores start at window `at` of score and contrib. */
  finish(
    a: Assembled,
    score: Float64Array,
    contrib: Float64Array,
    at: number,
    latencyMs: number,
  ): ScoreBatch {
    const F = this.columnOf.length
    const { n, t, values, quality } = a
    const threshold = this.ae.threshold
    const anomaly = new Uint8Array(n)
    const sensorState = new Uint8Array(n * F)
    const tEnd = new Float64Array(n)
    for (let w = 0; w < n; w++) {
      const i = a.ends[w]!
      const r = (at + w) * F
      tEnd[w] = t[i]!
      const anomalous = score[at + w]! > threshold
      anomaly[w] = anomalous ? 1 : 0
      for (let j = 0; j < F; j++) {
        const k = this.columnOf[j]!
        const tag = this.asset.tags[k]!
        const x = values[k]![i]!
        const crit = tag.critical
        let s: number = SensorState.NORMAL
        if (quality[k]![i]! & (Q.MISSING | Q.OUT_OF_RANGE | Q.STUCK)) s = SensorState.BAD_DATA
        else if (
          crit &&
          ((crit.above !== undefined && x > crit.above) || (crit.below !== undefined && x < crit.below))
        )
          s = SensorState.CRITICAL
        else if (anomalous && contrib[r + j]! * F >= ANOMALOUS_SHARE) s = SensorState.ANOMALOUS
        sensorState[w * F + j] = s
      }
    }
    return {
      assetId: this.asset.id,
      modelId: this.ae.id,
      modelVersion: this.ae.version,
      tags: this.ae.tags,
      threshold,
      t: tEnd,
      score: score.slice(at, at + n),
      anomaly,
      contrib: contrib.slice(at * F, (at + n) * F),
      sensorState,
      latencyMs,
    }
  }

  /** One batch on its own: its windows in one model call. */
  async score(t: Float64Array, values: Float64Array[], quality: Uint8Array[]): Promise<ScoreBatch | null> {
    const per = this.ae.window * this.columnOf.length
    if (this.windows.length < t.length * per) this.windows = new Float64Array(t.length * per)
    const a = this.assemble(t, values, quality, this.windows)
    if (a.n === 0) return null
    const started = performance.now()
    const { score, contrib } = await this.ae.score(this.windows.subarray(0, a.n * per), a.n)
    return this.finish(a, score, contrib, 0, (performance.now() - started) / a.n)
  }
}
