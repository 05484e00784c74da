import type { AssetConfig } from '../../shared/plant.ts'
import type { PredictionBatch } from '../../shared/samples.ts'
import type { SetpointAdvice } from '../../shared/suggestion.ts'
import { flagged, type Predictor, type PredictorOutputs } from '../models/predictor.ts'
import { resampleSequence } from '../models/resample-sequence.ts'
import { adviseSetpoints, compressorPolicy } from '../models/setpoint-advice.ts'

/** Samples one production unit may hold; past it the unit's tail is not kept (a cast stuck open for days). */
const MAX_UNIT_SAMPLES = 200_000

/** The inputs one batch made due, written by collect() and read back by finish(). */
export interface Collected {
  n: number
  /** Row-major [n][window][tags], raw values in the model's tag order. */
  inputs: Float64Array
  /** Data time of the last sample each input used. */
  t: Float64Array
  /** defect: the unit each input is. */
  unit: Float64Array
  /** policy with an advisor: the asset's latest validated value of every tag at each input. */
  values: Record<string, number>[]
}

/**
 * One predictor (kind rul, defect or policy) applied to one asset: keeps what the model's
 * next input needs from the stream and says when an input is due.
 *   rul     the latest `window` samples, every rul.everySeconds of data time
 *   policy  the latest validated (good-quality) value of each tag, every policy.everySeconds
 *   defect  the samples of the current production unit (one value of sequence.by); when the
 *           value changes the finished unit, if it lasted sequence.minSeconds, is resampled to
 *           `window` steps by linear interpolation in time (resample-sequence.ts)
 * A missing value is held at the tag's last good one, as the detectors' windows do. A policy
 * whose actions setpoint-advice.ts knows (the compressor's speed and guide vanes) has each
 * action turned into a suggestion with its expected gain and constraint margins; any other
 * policy's actions go out as the mapped setpoints alone.
 */
export class AssetPrediction {
  readonly p: Predictor
  private readonly asset: AssetConfig
  private readonly columnOf: number[]
  private readonly byColumn: number
  private readonly everyMs: number
  private readonly minUnitMs: number
  private readonly lastGood: Float64Array
  /** rul: ring of the last `window` rows. */
  private readonly ring: Float64Array
  private head = 0
  private filled = 0
  private lastRun = -Infinity
  /** defect: the current unit's samples. */
  private unit = NaN
  private unitT = new Float64Array(256)
  private unitCols: Float64Array[]
  private unitN = 0
  /** policy: whether setpoint-advice.ts takes this card's actions, and every tag's latest validated value. */
  private readonly advised: boolean
  private readonly latest: Float64Array

  constructor(p: Predictor, asset: AssetConfig) {
    this.p = p
    this.asset = asset
    const col = (id: string, why: string) => {
      const k = asset.tags.findIndex((t) => t.id === id)
      if (k < 0)
        throw new Error(`model "${p.id}" needs tag "${id}" (${why}), which asset "${asset.id}" does not have`)
      return k
    }
    this.columnOf = p.tags.map((id) => col(id, 'an input'))
    const card = p.card
    this.byColumn = p.kind === 'defect' ? col(card.sequence!.by, 'sequence.by') : -1
    if (p.kind === 'policy') for (const a of card.policy!.actions) col(a.tag, 'a policy action')
    const every =
      p.kind === 'rul' ? card.rul!.everySeconds : p.kind === 'policy' ? card.policy!.everySeconds : 0
    this.everyMs = every * 1000
    this.minUnitMs = (card.sequence?.minSeconds ?? 0) * 1000
    const F = p.tags.length
    this.lastGood = new Float64Array(F).fill(NaN)
    this.ring = new Float64Array(p.kind === 'rul' ? p.window * F : 0)
    this.unitCols = p.tags.map(() => new Float64Array(p.kind === 'defect' ? 256 : 0))
    this.advised = p.kind === 'policy' && advisable(card)
    this.latest = new Float64Array(this.advised ? asset.tags.length : 0).fill(NaN)
  }

  /** Inputs made due by samples [0, t.length); batches of this asset in their order. */
  collect(t: Float64Array, values: Float64Array[], quality: Uint8Array[]): Collected {
    const F = this.columnOf.length
    const per = this.p.window * F
    const out: number[] = []
    const times: number[] = []
    const units: number[] = []
    const snapshots: Record<string, number>[] = []
    for (let i = 0; i < t.length; i++) {
      if (this.advised)
        for (let k = 0; k < this.latest.length; k++) {
          const x = values[k]![i]!
          if (quality[k]![i] === 0 && x === x) this.latest[k] = x
        }
      if (this.p.kind === 'defect') {
        const u = values[this.byColumn]![i]!
        // A missing unit number leaves the sample in the unit under way.
        if (u === u && u !== this.unit) {
          if (this.unit === this.unit) this.finishUnit(out, times, units)
          this.unit = u
          this.unitN = 0
        }
      }
      let complete = true
      for (let j = 0; j < F; j++) {
        const k = this.columnOf[j]!
        const x = values[k]![i]!
        // A policy acts on validated values only; the other kinds hold a missing value at its last one.
        const good =
          x === x && x !== Infinity && x !== -Infinity && (this.p.kind !== 'policy' || quality[k]![i] === 0)
        if (good) this.lastGood[j] = x
        if (this.lastGood[j] !== this.lastGood[j]) complete = false
      }
      if (this.p.kind === 'defect') this.appendUnit(t[i]!)
      else if (this.p.kind === 'rul') {
        this.ring.set(this.lastGood, this.head * F)
        this.head = (this.head + 1) % this.p.window
        this.filled = complete ? Math.min(this.p.window, this.filled + 1) : 0
        if (this.filled === this.p.window && t[i]! - this.lastRun >= this.everyMs) {
          this.lastRun = t[i]!
          for (let r = 0; r < this.p.window; r++) {
            const row = ((this.head + r) % this.p.window) * F
            for (let j = 0; j < F; j++) out.push(this.ring[row + j]!)
          }
          times.push(t[i]!)
          units.push(NaN)
        }
      } else if (complete && t[i]! - this.lastRun >= this.everyMs) {
        this.lastRun = t[i]!
        for (let j = 0; j < F; j++) out.push(this.lastGood[j]!)
        times.push(t[i]!)
        units.push(NaN)
        if (this.advised)
          snapshots.push(Object.fromEntries(this.asset.tags.map((tag, k) => [tag.id, this.latest[k]!])))
      }
    }
    const n = times.length
    return {
      n,
      inputs: Float64Array.from(out.slice(0, n * per)),
      t: Float64Array.from(times),
      unit: Float64Array.from(units),
      values: snapshots,
    }
  }

  private appendUnit(t: number): void {
    if (this.unitN >= MAX_UNIT_SAMPLES) return
    if (this.unitN === this.unitT.length) {
      const grow = (a: Float64Array) => {
        const b = new Float64Array(a.length * 2)
        b.set(a)
        return b
      }
      this.unitT = grow(this.unitT)
      this.unitCols = this.unitCols.map(grow)
    }
    this.unitT[this.unitN] = t
    for (let j = 0; j < this.unitCols.length; j++) this.unitCols[j]![this.unitN] = this.lastGood[j]!
    this.unitN++
  }

  private finishUnit(out: number[], times: number[], units: number[]): void {
    const n = this.unitN
    if (n < 2) return
    const t = this.unitT.subarray(0, n)
    if (t[n - 1]! - t[0]! < this.minUnitMs) return
    const cols = this.unitCols.map((c) => c.subarray(0, n))
    const x = resampleSequence(t, cols, this.p.window, `asset "${this.asset.id}" unit ${this.unit}`)
    for (let i = 0; i < x.length; i++) out.push(x[i]!)
    times.push(t[n - 1]!)
    units.push(this.unit)
  }

  /** The PredictionBatch of collected inputs whose outputs start at item `at` of `o`. */
  finish(c: Collected, o: PredictorOutputs, at: number, latencyMs: number): PredictionBatch {
    const p = this.p
    const cut = (a: Float64Array, width = 1) => a.slice(at * width, (at + c.n) * width)
    const value = cut(o.value)
    const batch: PredictionBatch = {
      assetId: this.asset.id,
      modelId: p.id,
      modelVersion: p.version,
      kind: p.kind,
      t: c.t,
      value,
      threshold: p.threshold,
      flagged: Uint8Array.from(value, (v) => (flagged(p.kind, v, p.threshold) ? 1 : 0)),
      latencyMs,
    }
    if (o.spread) batch.spread = cut(o.spread)
    if (o.confidence) batch.confidence = cut(o.confidence)
    if (o.members) batch.members = Object.fromEntries(Object.entries(o.members).map(([k, v]) => [k, cut(v)]))
    if (p.kind === 'defect') batch.unit = c.unit
    if (o.actions) {
      const tags = p.card.policy!.actions.map((a) => a.tag)
      batch.actions = cut(o.actions, tags.length)
      batch.actionTags = tags
      if (this.advised && o.raw) batch.advice = this.advise(c, cut(o.raw, tags.length), tags.length)
    }
    return batch
  }

  private advise(c: Collected, raw: Float64Array, A: number): SetpointAdvice[] {
    return Array.from({ length: c.n }, (_, i) => {
      const at = c.t[i]!
      try {
        const input = { assetId: this.asset.id, at, card: this.p.card, values: c.values[i]! }
        return adviseSetpoints({ ...input, action: raw.subarray(i * A, (i + 1) * A) })
      } catch (e) {
        // A row the advisor cannot read is reported in its words, not dropped.
        const why = e instanceof Error ? e.message : String(e)
        return { assetId: this.asset.id, modelId: this.p.id, at, suggestion: null, why }
      }
    })
  }
}

/** Whether setpoint-advice.ts knows this policy's actions. */
function advisable(card: Predictor['card']): boolean {
  try {
    compressorPolicy(card)
    return true
  } catch {
    return false
  }
}
