import { Q } from '../../../shared/quality.ts'
import type { SampleBatch } from '../../../shared/samples.ts'

/** A jump this many typical sample spacings after an interruption is a gap, and gets marked. */
const GAP_FACTOR = 2.5

/**
 * Gathers timestamped updates of single tags (one Sparkplug metric, one JSON field) into
 * rows in the asset's tag order. A tag keeps its last value until updated (Sparkplug's
 * report by exception); a row closes when a newer time arrives, when every tag has a value
 * for it, or after `holdMs` of waiting for the rest. Rows go out strictly after the last
 * one sent: a duplicate (QoS 1 redelivery, a birth repeating the last value) or an
 * out-of-order value is counted in `late` and dropped.
 *
 * Gaps: after an interruption (link down, node death, a sequence gap, silence) the next
 * row is compared with the last: if samples are missing in between, one row of NaN (every
 * tag MISSING) is written where the first missing sample was due, so charts break the line
 * and the store keeps the hole, and nothing is marked when the feed lost nothing.
 *
 * With `withQuality`, each value also carries the source's own quality flags (an OPC UA
 * Uncertain status), held like the value and sent as the batch's quality columns; a gap
 * row is MISSING throughout.
 */
export class RowAssembler {
  /** Current value of every tag. */
  readonly current: Float64Array
  late = 0
  gapsMarked = 0
  /** Time of the last row sent; -Infinity before the first. */
  lastT = -Infinity
  private readonly touchedAt: Float64Array
  private readonly holdMs: number
  private pendingT = NaN
  private pendingSince = 0
  private touched = 0
  private interrupted = false
  /** Typical time between rows (moving average), NaN until two rows have been seen. */
  private spacing = NaN
  private t = new Float64Array(64)
  private cols: Float64Array[]
  private n = 0
  /** Source quality of every tag's current value, and per row; absent without `withQuality`. */
  private readonly currentQ: Uint8Array | null
  private qcols: Uint8Array[] | null

  constructor(tags: number, holdMs: number, withQuality = false) {
    this.current = new Float64Array(tags).fill(NaN)
    this.touchedAt = new Float64Array(tags).fill(NaN)
    this.holdMs = holdMs
    this.cols = Array.from({ length: tags }, () => new Float64Array(64))
    this.currentQ = withQuality ? new Uint8Array(tags) : null
    this.qcols = withQuality ? Array.from({ length: tags }, () => new Uint8Array(64)) : null
  }

  set(k: number, t: number, v: number, now: number, q = 0): void {
    if (!(t > this.lastT) || t < this.pendingT) {
      this.late++
      return
    }
    if (t > this.pendingT) this.closeRow()
    if (this.pendingT !== t) {
      this.pendingT = t
      this.pendingSince = now
    }
    this.current[k] = v
    if (this.currentQ) this.currentQ[k] = q
    if (this.touchedAt[k] !== t) {
      this.touchedAt[k] = t
      if (++this.touched === this.current.length) this.closeRow()
    }
  }

  /** The feed was interrupted: check the next row for a hole. */
  interrupt(): void {
    this.interrupted = true
  }

  /** Values are unknown until updated again (the node or device died). */
  invalidate(): void {
    this.closeRow()
    this.current.fill(NaN)
    this.currentQ?.fill(0)
  }

  /** Rows ready to send, in buffers the batch owns; the pending row goes once it waited holdMs. */
  take(assetId: string, now: number): SampleBatch | null {
    if (this.pendingT === this.pendingT && now - this.pendingSince >= this.holdMs) this.closeRow()
    if (this.n === 0) return null
    const n = this.n
    this.n = 0
    const b: SampleBatch = { assetId, t: this.t.slice(0, n), values: this.cols.map((c) => c.slice(0, n)) }
    if (this.qcols) b.quality = this.qcols.map((c) => c.slice(0, n))
    return b
  }

  private closeRow(): void {
    const t = this.pendingT
    if (t !== t) return
    this.pendingT = NaN
    this.touched = 0
    const dt = t - this.lastT
    if (this.interrupted && dt > GAP_FACTOR * this.spacing) {
      this.push(this.lastT + this.spacing, null)
      this.gapsMarked++
    } else if (dt < 10 * this.spacing || this.spacing !== this.spacing)
      this.spacing =
        this.spacing === this.spacing ? 0.9 * this.spacing + 0.1 * dt : dt === Infinity ? NaN : dt
    this.interrupted = false
    this.push(t, this.current)
    this.lastT = t
  }

  private push(t: number, row: Float64Array | null): void {
    if (this.n === this.t.length) {
      const grow = (a: Float64Array) => {
        const b = new Float64Array(a.length * 2)
        b.set(a)
        return b
      }
      this.t = grow(this.t)
      this.cols = this.cols.map(grow)
      this.qcols =
        this.qcols?.map((a) => {
          const b = new Uint8Array(a.length * 2)
          b.set(a)
          return b
        }) ?? null
    }
    this.t[this.n] = t
    for (let k = 0; k < this.cols.length; k++) this.cols[k]![this.n] = row ? row[k]! : NaN
    if (this.qcols)
      for (let k = 0; k < this.qcols.length; k++)
        this.qcols[k]![this.n] = row ? this.currentQ![k]! : Q.MISSING
    this.n++
  }
}
