import { Q } from '../../../shared/quality.ts'
import type { RowAssembler } from '../mqtt/row-assembler.ts'
import { numberOf, overflowed, qualityOfStatus, timeOf, type DataValueLike } from './data-value.ts'

export interface IntakeOptions {
  /** Use the server's timestamp rather than the device's. */
  serverTime: boolean
  /** Values this close in time (ms) join one row. */
  rowWindowMs: number
  /** A node sent something that is not a number (reported once per tag by the caller). */
  notNumeric(k: number, value: unknown): void
  /** The server's queue overflowed: values were lost between two publishes. */
  lost(k: number): void
}

/**
 * Turns one publish response's notifications into rows. node-opcua hands them over item by
 * item (a group's 'changed' events, all in one synchronous pass); they are gathered into
 * scratch columns and, at the end of the pass (a microtask), sorted by time and handed to
 * the row assembler, so an item's second value in a publish cannot make another item's
 * first value late. Values within rowWindowMs of a row's first value join that row: a
 * server that stamps each node a few ms apart still yields one row per scan.
 */
export class Intake {
  received = 0
  private readonly rows: RowAssembler
  private readonly o: IntakeOptions
  private n = 0
  private k = new Int32Array(256)
  private t = new Float64Array(256)
  private v = new Float64Array(256)
  private q = new Uint8Array(256)
  private order = new Uint32Array(256)
  private rowT = NaN
  private scheduled = false
  private readonly flush = () => this.drain()

  constructor(rows: RowAssembler, o: IntakeOptions) {
    this.rows = rows
    this.o = o
  }

  add(k: number, dv: DataValueLike, now: number): void {
    if (this.n === this.k.length) this.grow()
    const code = dv.statusCode?.value ?? 0
    let q = qualityOfStatus(code)
    let x = NaN
    if (q !== Q.MISSING) {
      const raw = dv.value?.value
      x = numberOf(raw)
      if (x !== x && raw !== undefined && raw !== null) this.o.notNumeric(k, raw)
      if (x !== x) q = Q.MISSING
    }
    if (overflowed(code)) this.o.lost(k)
    const i = this.n++
    this.k[i] = k
    this.t[i] = timeOf(dv, this.o.serverTime, now)
    this.v[i] = x
    this.q[i] = q
    this.received++
    if (!this.scheduled) {
      this.scheduled = true
      queueMicrotask(this.flush)
    }
  }

  /** Forget the row being gathered: after a reconnect, rows start afresh. */
  reset(): void {
    this.rowT = NaN
  }

  private drain(): void {
    this.scheduled = false
    const n = this.n
    if (n === 0) return
    this.n = 0
    const { t, order } = this
    let sorted = true
    for (let i = 0; i < n; i++) {
      order[i] = i
      if (i > 0 && t[i]! < t[i - 1]!) sorted = false
    }
    if (!sorted) order.subarray(0, n).sort((a, b) => t[a]! - t[b]! || a - b)
    const now = Date.now()
    const win = this.o.rowWindowMs
    for (let j = 0; j < n; j++) {
      const i = order[j]!
      let ti = t[i]!
      if (ti >= this.rowT && ti < this.rowT + win) ti = this.rowT
      else if (!(ti < this.rowT)) this.rowT = ti
      this.rows.set(this.k[i]!, ti, this.v[i]!, now, this.q[i]!)
    }
  }

  private grow(): void {
    const size = this.k.length * 2
    const k = new Int32Array(size)
    const t = new Float64Array(size)
    const v = new Float64Array(size)
    const q = new Uint8Array(size)
    k.set(this.k)
    t.set(this.t)
    v.set(this.v)
    q.set(this.q)
    this.k = k
    this.t = t
    this.v = v
    this.q = q
    this.order = new Uint32Array(size)
  }
}
