import type { ColumnRing } from '../state/column-ring.ts'
import type { Column } from './window-columns.ts'

/**
 * A live window of some of a ring's columns as the arrays uPlot draws, at most about one point
 * per plot pixel: ten minutes of 10 Hz samples are 6,000 rows per tag, and a software-rastered
 * canvas pays for every segment. While the window holds no more rows than the budget they are
 * copied as they are; beyond it each tag is drawn as a min/max envelope, a bucket of two
 * pixels giving its min then its max, so a one-sample spike still shows.
 *
 * Buckets are fixed slices of time (bucket b covers [b, b+1) x bucketMs), not slices of the
 * window, so a bucket's extremes do not change as the window slides and the trace does not
 * shimmer. Each new row is folded into the newest bucket once (O(tags) per row) and a frame
 * copies the buckets (O(plot width)), whatever the window's length. The bucket extremes live in
 * typed-array rings sized once per window and width; the output arrays are refilled in place.
 * This is the one place the live NaN becomes null: uPlot treats only null as a gap (#1045).
 */
export class LiveEnvelope {
  readonly x: number[] = []
  readonly ys: Column[]
  /** [x, ...ys]: the same array every frame, ready for uPlot.setData. */
  readonly data: [number[], ...Column[]]
  private readonly cols: readonly number[]
  private ring: ColumnRing | null = null
  private seenClears = -1
  /** Time of the newest row folded into the buckets. */
  private seenT = -Infinity
  private windowMs = 0
  private budget = 0
  private bucketMs = 1
  private cap = 0
  private index = new Float64Array(0)
  private lo: Float64Array[] = []
  private hi: Float64Array[] = []
  private head = 0
  private count = 0
  private drewBuckets = false

  /** cols: the ring's columns to draw, in series order. */
  constructor(cols: readonly number[]) {
    this.cols = cols
    this.ys = cols.map(() => [])
    this.data = [this.x, ...this.ys]
  }

  /** Points per series handed to uPlot by the last fill. */
  get length(): number {
    return this.x.length
  }

  /** Whether the last fill drew buckets rather than rows. */
  get decimated(): boolean {
    return this.drewBuckets
  }

  /** Refills the arrays with the window of `windowMs` ending at the ring's newest row. */
  fill(ring: ColumnRing, windowMs: number, plotPx: number): this {
    const budget = Math.max(4, Math.floor(plotPx))
    if (
      ring !== this.ring ||
      ring.clears !== this.seenClears ||
      windowMs !== this.windowMs ||
      budget !== this.budget ||
      !(ring.lastT() >= this.seenT)
    )
      this.reset(ring, windowMs, budget)
    if (ring.length === 0) {
      this.drewBuckets = false
      this.setLength(0)
      return this
    }
    const from = ring.lastT() - windowMs
    this.fold(ring, from)
    const start = ring.lowerBound(from)
    const n = ring.length - start
    this.drewBuckets = n > budget
    if (this.drewBuckets) this.copyBuckets()
    else this.copyRows(ring, start, n)
    return this
  }

  private reset(ring: ColumnRing, windowMs: number, budget: number): void {
    this.ring = ring
    this.seenClears = ring.clears
    this.seenT = -Infinity
    this.windowMs = windowMs
    this.budget = budget
    const buckets = Math.floor(budget / 2)
    this.bucketMs = windowMs / buckets
    // The window's buckets, plus the partly covered ones at either end.
    const cap = buckets + 3
    if (cap !== this.cap || this.lo.length !== this.cols.length) {
      this.cap = cap
      this.index = new Float64Array(cap)
      this.lo = this.cols.map(() => new Float64Array(cap))
      this.hi = this.cols.map(() => new Float64Array(cap))
    }
    this.head = 0
    this.count = 0
  }

  /** Folds the rows newer than the last fold into their buckets and drops buckets wholly before `from`. */
  private fold(ring: ColumnRing, from: number): void {
    const bucketMs = this.bucketMs
    const cap = this.cap
    const first = Number.isFinite(this.seenT) ? this.seenT : Math.floor(from / bucketMs) * bucketMs
    let i = ring.lowerBound(first)
    for (; i < ring.length; i++) {
      const s = ring.slot(i)
      const t = ring.t[s]!
      if (t <= this.seenT) continue
      const b = Math.floor(t / bucketMs)
      let slot = this.head === 0 ? cap - 1 : this.head - 1
      if (this.count === 0 || this.index[slot] !== b) {
        slot = this.head
        this.index[slot] = b
        for (let k = 0; k < this.cols.length; k++) {
          this.lo[k]![slot] = Infinity
          this.hi[k]![slot] = -Infinity
        }
        this.head = slot + 1 === cap ? 0 : slot + 1
        if (this.count < cap) this.count++
      }
      for (let k = 0; k < this.cols.length; k++) {
        // A missing (NaN) or infinite value leaves the extremes as they were.
        const v = ring.values[this.cols[k]!]![s]!
        if (!Number.isFinite(v)) continue
        if (v < this.lo[k]![slot]!) this.lo[k]![slot] = v
        if (v > this.hi[k]![slot]!) this.hi[k]![slot] = v
      }
      this.seenT = t
    }
    while (this.count > 0 && (this.index[this.oldest()]! + 1) * bucketMs <= from) this.count--
  }

  private oldest(): number {
    const s = this.head - this.count
    return s < 0 ? s + this.cap : s
  }

  /** Each bucket as two points: its min at its start, its max half a bucket later. */
  private copyBuckets(): void {
    const x = this.x
    const half = this.bucketMs / 2
    let s = this.oldest()
    for (let j = 0; j < this.count; j++) {
      const x0 = this.index[s]! * this.bucketMs
      x[2 * j] = x0
      x[2 * j + 1] = x0 + half
      for (let k = 0; k < this.cols.length; k++) {
        const lo = this.lo[k]![s]!
        const hi = this.hi[k]![s]!
        const y = this.ys[k]!
        // A bucket whose every value was missing is a gap.
        y[2 * j] = lo <= hi ? lo : null
        y[2 * j + 1] = lo <= hi ? hi : null
      }
      s = s + 1 === this.cap ? 0 : s + 1
    }
    this.setLength(2 * this.count)
  }

  private copyRows(ring: ColumnRing, start: number, n: number): void {
    const x = this.x
    for (let i = 0; i < n; i++) x[i] = ring.t[ring.slot(start + i)]!
    for (let k = 0; k < this.cols.length; k++) {
      const src = ring.values[this.cols[k]!]!
      const y = this.ys[k]!
      for (let i = 0; i < n; i++) {
        const v = src[ring.slot(start + i)]!
        y[i] = Number.isFinite(v) ? v : null
      }
    }
    this.setLength(n)
  }

  private setLength(n: number): void {
    this.x.length = n
    for (const y of this.ys) y.length = n
  }
}
