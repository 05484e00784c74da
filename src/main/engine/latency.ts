import type { Percentiles } from '../../shared/contract.ts'

/** The last `size` latencies in a ring; percentiles are computed when asked, not per sample. */
export class LatencyWindow {
  private readonly ring: Float64Array
  private head = 0
  private count = 0

  constructor(size = 2048) {
    this.ring = new Float64Array(size)
  }

  add(ms: number): void {
    this.ring[this.head] = ms
    this.head = (this.head + 1) % this.ring.length
    if (this.count < this.ring.length) this.count++
  }

  percentiles(): Percentiles {
    if (this.count === 0) return { p50: NaN, p95: NaN, p99: NaN }
    const sorted = this.ring.slice(0, this.count).sort()
    const at = (p: number) => sorted[Math.min(this.count - 1, Math.floor(p * this.count))]!
    return { p50: at(0.5), p95: at(0.95), p99: at(0.99) }
  }
}
