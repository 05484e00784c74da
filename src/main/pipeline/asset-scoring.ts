import type { AssetConfig } from '../../shared/plant.ts'
import { Q } from '../../shared/quality.ts'
import { SensorState, type ScoreBatch } from '../../shared/samples.ts'
import type { Autoencoder } from '../models/autoencoder.ts'
import { WindowAssembler } from './window-assembler.ts'

/** A contribution this many times an equal share marks its sensor ANOMALOUS in an anomalous window. */
const ANOMALOUS_SHARE = 1.5

/**
 * One autoencoder applied to one asset: picks the model's input tags out of the asset's
 * columns, assembles windows and turns the model's scores into a ScoreBatch with a state per
 * sensor. Buffers are sized once for the largest batch seen and reused.
 */
export class AssetScoring {
  private readonly ae: Autoencoder
  private readonly asset: AssetConfig
  /** Asset column index of each model input, in the model's tag order. */
  private readonly columnOf: number[]
  private readonly assembler: WindowAssembler
  private readonly modelCols: Float64Array[] = []
  private windows = new Float64Array(0)
  private ends = new Int32Array(0)

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

  async score(t: Float64Array, values: Float64Array[], quality: Uint8Array[]): Promise<ScoreBatch | null> {
    const W = this.ae.window
    const F = this.columnOf.length
    if (this.ends.length < t.length) {
      this.ends = new Int32Array(t.length)
      this.windows = new Float64Array(t.length * W * F)
    }
    for (let j = 0; j < F; j++) this.modelCols[j] = values[this.columnOf[j]!]!
    const n = this.assembler.push(this.modelCols, 0, t.length, this.windows, this.ends)
    if (n === 0) return null
    const started = performance.now()
    const { score, contrib } = await this.ae.score(this.windows.subarray(0, n * W * F), n)
    const latencyMs = (performance.now() - started) / n
    const threshold = this.ae.threshold
    const anomaly = new Uint8Array(n)
    const sensorState = new Uint8Array(n * F)
    const tEnd = new Float64Array(n)
    for (let w = 0; w < n; w++) {
      const i = this.ends[w]!
      tEnd[w] = t[i]!
      const anomalous = score[w]! > threshold
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
        else if (anomalous && contrib[w * F + j]! * F >= ANOMALOUS_SHARE) s = SensorState.ANOMALOUS
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
      score: score.slice(0, n),
      anomaly,
      contrib: contrib.slice(0, n * F),
      sensorState,
      latencyMs,
    }
  }
}
