/**
 * Rolling mean and standard deviation of each tag over the last `size` samples, O(1) per
 * sample: running sums in a ring buffer. Sums are of (x - ref) with ref the first value seen,
 * so a large offset (1500 rpm ± 2) does not cancel away the variance in float64.
 * Missing values (NaN) are skipped and do not count.
 */
export class RollingStats {
  readonly size: number
  private readonly ring: Float64Array
  private readonly sum: Float64Array
  private readonly sumSq: Float64Array
  private readonly count: Int32Array
  private readonly ref: Float64Array
  private readonly tags: number
  private head = 0

  constructor(tags: number, size: number) {
    this.tags = tags
    this.size = size
    this.ring = new Float64Array(tags * size).fill(NaN)
    this.sum = new Float64Array(tags)
    this.sumSq = new Float64Array(tags)
    this.count = new Int32Array(tags)
    this.ref = new Float64Array(tags).fill(NaN)
  }

  /** Adds sample i of every tag's column. */
  push(values: Float64Array[], i: number): void {
    const base = this.head * this.tags
    for (let k = 0; k < this.tags; k++) {
      const old = this.ring[base + k]!
      if (old === old) {
        const d = old - this.ref[k]!
        this.sum[k]! -= d
        this.sumSq[k]! -= d * d
        this.count[k]!--
      }
      const x = values[k]![i]!
      this.ring[base + k] = x
      if (x === x) {
        if (this.ref[k] !== this.ref[k]) this.ref[k] = x
        const d = x - this.ref[k]!
        this.sum[k]! += d
        this.sumSq[k]! += d * d
        this.count[k]!++
      }
    }
    this.head = (this.head + 1) % this.size
  }

  /** Writes the current mean and sample std of every tag; NaN where no value is in the window. */
  read(mean: Float64Array, std: Float64Array): void {
    for (let k = 0; k < this.tags; k++) {
      const n = this.count[k]!
      if (n === 0) {
        mean[k] = NaN
        std[k] = NaN
        continue
      }
      const m = this.sum[k]! / n
      mean[k] = this.ref[k]! + m
      std[k] = n > 1 ? Math.sqrt(Math.max(0, (this.sumSq[k]! - n * m * m) / (n - 1))) : 0
    }
  }
}
