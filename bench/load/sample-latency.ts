/*
 * Sample-to-client latency: the time from a source handing a batch to the engine to a
 * WebSocket client having decoded the message that holds its last sample. Both ends run in
 * one process, so performance.now() is one clock. Batches are matched per asset by their
 * last timestamp (a client message may hold several source batches once batches merge).
 */

interface AssetQueue {
  tLast: number[]
  at: number[]
  rows: number[]
  counted: boolean[]
  head: number
}

/** Latency histogram bins, ms: fine enough for percentiles, and fixed in size so a 30-minute soak measures the engine's memory, not this. */
const BIN_MS = 0.1
const BINS = 300_000

export class SampleLatency {
  private readonly assets = new Map<string, AssetQueue>()
  /** Rows per latency bin; the last bin holds everything from BINS x BIN_MS (30 s) up. */
  private readonly hist = new Float64Array(BINS)
  private n = 0
  private max = -Infinity
  /** Rows emitted inside the measured span, and how many of them reached the client. */
  emittedRows = 0
  deliveredRows = 0

  /** A source batch: `counted` when it falls inside the measured span. */
  emitted(assetId: string, tLast: number, rows: number, at: number, counted: boolean): void {
    let q = this.assets.get(assetId)
    if (!q) {
      q = { tLast: [], at: [], rows: [], counted: [], head: 0 }
      this.assets.set(assetId, q)
    }
    q.tLast.push(tLast)
    q.at.push(at)
    q.rows.push(rows)
    q.counted.push(counted)
    if (counted) this.emittedRows += rows
  }

  /** The client decoded samples of `assetId` up to tLast at time `at`. */
  received(assetId: string, tLast: number, at: number): void {
    const q = this.assets.get(assetId)
    if (!q) return
    while (q.head < q.tLast.length && q.tLast[q.head]! <= tLast) {
      const i = q.head++
      if (!q.counted[i]) continue
      const rows = q.rows[i]!
      this.deliveredRows += rows
      // Counted per row: percentiles are over samples, not over batches.
      const ms = at - q.at[i]!
      this.hist[Math.max(0, Math.min(BINS - 1, Math.floor(ms / BIN_MS)))]! += rows
      this.n += rows
      if (ms > this.max) this.max = ms
    }
    if (q.head > 4096) {
      for (const k of ['tLast', 'at', 'rows', 'counted'] as const) q[k].splice(0, q.head)
      q.head = 0
    }
  }

  percentiles(): { p50: number; p95: number; p99: number; max: number } {
    if (this.n === 0) return { p50: NaN, p95: NaN, p99: NaN, max: NaN }
    // The middle of the bin holding the row at rank p x n (at most BIN_MS / 2 off).
    const at = (p: number) => {
      const rank = Math.min(this.n - 1, Math.floor(p * this.n))
      let seen = 0
      for (let b = 0; b < BINS; b++)
        if ((seen += this.hist[b]!) > rank) return Math.min(this.max, (b + 0.5) * BIN_MS)
      return this.max
    }
    return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: this.max }
  }
}
