/**
 * Fixed-capacity ring of rows stored as columns: a time column and `width` value columns, each
 * a preallocated typed array, plus optional quality columns. Appending copies into the arrays
 * and allocates nothing, so a day of 1 Hz samples costs the same per sample as the first minute.
 * Logical index 0 is the oldest row still held.
 */
export class ColumnRing {
  readonly capacity: number
  readonly t: Float64Array
  readonly values: Float64Array[]
  readonly quality: Uint8Array[]
  private head = 0
  private count = 0
  private cleared = 0

  constructor(width: number, capacity: number, withQuality = false) {
    if (!(capacity >= 1)) throw new RangeError(`ColumnRing capacity must be at least 1, got ${capacity}`)
    this.capacity = capacity
    this.t = new Float64Array(capacity)
    this.values = Array.from({ length: width }, () => new Float64Array(capacity))
    this.quality = withQuality ? Array.from({ length: width }, () => new Uint8Array(capacity)) : []
  }

  get length(): number {
    return this.count
  }

  get width(): number {
    return this.values.length
  }

  /** How many times the ring was cleared: whoever derives state from its rows rebuilds when it changes. */
  get clears(): number {
    return this.cleared
  }

  clear(): void {
    this.cleared++
    this.head = 0
    this.count = 0
  }

  /** Physical slot of logical row i. */
  slot(i: number): number {
    const s = this.head - this.count + i
    return s < 0 ? s + this.capacity : s
  }

  /** Time of the newest row, NaN when empty. */
  lastT(): number {
    return this.count === 0 ? NaN : this.t[this.slot(this.count - 1)]!
  }

  /** Value of column c in the newest row, NaN when empty. */
  latest(c: number): number {
    return this.count === 0 ? NaN : (this.values[c]?.[this.slot(this.count - 1)] ?? NaN)
  }

  latestQuality(c: number): number {
    return this.count === 0 ? 0 : (this.quality[c]?.[this.slot(this.count - 1)] ?? 0)
  }

  /**
   * Appends rows [from, to) of the given columns that are newer than the newest row held;
   * older or repeated rows (a live batch that overlaps a snapshot) are skipped. Missing value
   * columns read as NaN, missing quality as good. Returns the rows appended.
   */
  append(
    t: Float64Array,
    values: ArrayLike<number>[],
    quality?: ArrayLike<number>[],
    from = 0,
    to = t.length,
  ): number {
    let last = this.lastT()
    let added = 0
    const cap = this.capacity
    const width = this.values.length
    const hasQ = this.quality.length > 0
    for (let r = from; r < to; r++) {
      const tr = t[r]!
      if (tr <= last) continue
      last = tr
      const s = this.head
      this.t[s] = tr
      for (let c = 0; c < width; c++) {
        const col = values[c]
        this.values[c]![s] = col ? col[r]! : NaN
        if (hasQ) this.quality[c]![s] = quality?.[c]?.[r] ?? 0
      }
      this.head = s + 1 === cap ? 0 : s + 1
      if (this.count < cap) this.count++
      added++
    }
    return added
  }

  /** Logical index of the first row with t >= time (length when none). */
  lowerBound(time: number): number {
    let lo = 0
    let hi = this.count
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.t[this.slot(mid)]! < time) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}
