import type { BadRowReason } from '../../shared/import.ts'
import type { BadRowLog } from './bad-rows.ts'

const Q_OUT_OF_RANGE = 1
const Q_MISSING = 8

/** Rows per batch: big enough that per-batch costs vanish, small enough to keep memory flat. */
export const BATCH_ROWS = 32_768

/** A batch of parsed rows as columns, in the order of the mapping's tags. */
export interface ColumnBatch {
  t: Float64Array
  values: Float64Array[]
  quality: Uint8Array[]
}

const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms))

/**
 * Where parsers put rows. A parser writes row i straight into t[n], v[k][n], q[k][n] and then
 * calls keep() or reject(); only kept rows advance n, so a rejected row costs no copy. Full
 * batches wait in `ready` for the caller to take, which is what bounds memory: the parser
 * does not read on while they wait.
 */
export class RowSink {
  t: Float64Array
  v: Float64Array[]
  q: Uint8Array[]
  n = 0
  /** Rows kept, over all batches. */
  rows = 0
  /** Data rows met, kept or not: row i of a file without times is at start + i * period. */
  seen = 0
  /** Abort mode met a bad row: parsers stop. */
  stopped = false
  first = NaN
  last = -Infinity
  /** File line after the last row parsed into this sink; set when parsing ends (file-parse.ts). */
  nextLine = 1
  readonly ready: ColumnBatch[] = []
  /** Buffers of batches handed back, for the next ones. */
  private readonly spare: ColumnBatch[] = []
  /** Per value column, the extremes kept (new tags take their range from them). */
  readonly min: Float64Array
  readonly max: Float64Array
  private readonly width: number
  private readonly size: number
  private readonly lo: Float64Array
  private readonly hi: Float64Array
  private readonly abort: boolean
  private readonly log: BadRowLog

  /** `ranges`: per value column, the valid range; a value outside it is marked OUT_OF_RANGE. */
  constructor(
    width: number,
    onBadRow: 'skip' | 'abort',
    log: BadRowLog,
    size = BATCH_ROWS,
    ranges?: { lo: Float64Array; hi: Float64Array },
  ) {
    this.width = width
    this.lo = ranges?.lo ?? new Float64Array(width).fill(-Infinity)
    this.hi = ranges?.hi ?? new Float64Array(width).fill(Infinity)
    this.size = size
    this.abort = onBadRow === 'abort'
    this.log = log
    this.min = new Float64Array(width).fill(Infinity)
    this.max = new Float64Array(width).fill(-Infinity)
    this.t = new Float64Array(size)
    this.v = Array.from({ length: width }, () => new Float64Array(size))
    this.q = Array.from({ length: width }, () => new Uint8Array(size))
  }

  /** Row n is written (times and values; quality is set on flush): keeps it unless its time goes back. False when the parser must stop. */
  keep(line: number): boolean {
    this.seen++
    const x = this.t[this.n]!
    if (x < this.last) {
      return this.bad(line, 'backwards', `time ${iso(x)} goes back from ${iso(this.last)}`, undefined)
    }
    if (this.n === 0 && this.rows === 0) this.first = x
    this.last = x
    if (++this.n === this.size) this.flush()
    return true
  }

  /** Row n is bad: it is logged and overwritten by the next. False when the parser must stop. */
  reject(line: number, reason: BadRowReason, message: string, column?: string, value?: string): boolean {
    this.seen++
    return this.bad(line, reason, message, column, value)
  }

  /** Moves the rows kept so far to `ready`. */
  flush(): void {
    const n = this.n
    if (n === 0) return
    const { min, max } = this
    // Quality is set here, a column at a time, rather than per field in the parser's loop:
    // NaN only ever comes from a missing-value cell.
    for (let k = 0; k < this.width; k++) {
      const v = this.v[k]!
      const q = this.q[k]!
      const a = this.lo[k]!
      const b = this.hi[k]!
      let lo = min[k]!
      let hi = max[k]!
      for (let i = 0; i < n; i++) {
        const x = v[i]!
        if (x !== x) q[i] = Q_MISSING
        else {
          if (x < a || x > b) q[i] = Q_OUT_OF_RANGE
          if (x < lo) lo = x
          if (x > hi) hi = x
        }
      }
      min[k] = lo
      max[k] = hi
    }
    this.ready.push({
      t: this.t.subarray(0, n),
      values: this.v.map((v) => v.subarray(0, n)),
      quality: this.q.map((q) => q.subarray(0, n)),
    })
    this.rows += n
    this.n = 0
    // The batch leaves with its buffers (they are transferred), so the next one gets others:
    // ones handed back (recycle), or new.
    const back = this.spare.pop()
    this.t = back ? new Float64Array(back.t.buffer) : new Float64Array(this.size)
    // Handed-back buffers are cleared to what new ones hold, so no row can see another's data.
    this.v = back
      ? back.values.map((v) => new Float64Array(v.buffer).fill(0))
      : this.v.map(() => new Float64Array(this.size))
    this.q = back
      ? back.quality.map((q) => new Uint8Array(q.buffer).fill(0))
      : this.q.map(() => new Uint8Array(this.size))
  }

  /** Takes back the buffers of a batch this sink made, once its consumer is done with them. */
  recycle(b: ColumnBatch): void {
    const whole = (a: ArrayBufferView, bytes: number) => a.buffer.byteLength === bytes
    if (
      whole(b.t, this.size * 8) &&
      b.values.length === this.width &&
      b.values.every((v) => whole(v, this.size * 8)) &&
      b.quality.every((q) => whole(q, this.size))
    )
      this.spare.push(b)
  }

  /** Takes the batches waiting. */
  take(): ColumnBatch[] {
    return this.ready.splice(0)
  }

  private bad(line: number, reason: BadRowReason, message: string, column?: string, value?: string): boolean {
    this.log.add(line, reason, message, column, value)
    if (this.abort) this.stopped = true
    return !this.stopped
  }
}
