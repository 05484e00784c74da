type Column = Float64Array | Uint8Array

/**
 * The last `capacity` rows of a set of columns, for snapshots a client asks for when it
 * connects. Column 0 is time (epoch ms, ascending). A column of width w holds w values per
 * row (e.g. one contribution per sensor), row-major. Appends copy into preallocated arrays.
 */
export class ColumnRing {
  readonly capacity: number
  private readonly cols: Column[]
  private readonly widths: number[]
  private head = 0
  private size = 0

  constructor(capacity: number, make: { kind: 'f64' | 'u8'; width: number }[]) {
    this.capacity = capacity
    this.widths = make.map((m) => m.width)
    this.cols = make.map((m) =>
      m.kind === 'f64' ? new Float64Array(capacity * m.width) : new Uint8Array(capacity * m.width),
    )
  }

  get length(): number {
    return this.size
  }

  /** Time of the newest row, or NaN when empty. */
  lastTime(): number {
    if (this.size === 0) return NaN
    return this.cols[0]![(this.head - 1 + this.capacity) % this.capacity]!
  }

  /**
   * Appends n rows; src[c] holds n * width(c) values. Rows are copied in at most two runs
   * per column (before and after the ring wraps), not one by one: a hundred assets append
   * thousands of rows a second.
   */
  append(src: Column[], n: number): void {
    const start = Math.max(0, n - this.capacity)
    for (let i = start; i < n;) {
      const run = Math.min(n - i, this.capacity - this.head)
      for (let c = 0; c < this.cols.length; c++) {
        const w = this.widths[c]!
        this.cols[c]!.set(src[c]!.subarray(i * w, (i + run) * w), this.head * w)
      }
      this.head = (this.head + run) % this.capacity
      i += run
    }
    this.size = Math.min(this.capacity, this.size + n - start)
  }

  /** Rows with time >= since, oldest first, as fresh arrays. */
  since(since: number): Column[] {
    const times = this.cols[0] as Float64Array
    const first = (this.head - this.size + this.capacity) % this.capacity
    let lo = 0
    let hi = this.size
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (times[(first + mid) % this.capacity]! < since) lo = mid + 1
      else hi = mid
    }
    const n = this.size - lo
    return this.cols.map((col, c) => {
      const w = this.widths[c]!
      const out = col instanceof Float64Array ? new Float64Array(n * w) : new Uint8Array(n * w)
      for (let i = 0; i < n; i++) {
        const r = (first + lo + i) % this.capacity
        out.set(col.subarray(r * w, r * w + w), i * w)
      }
      return out
    })
  }
}
