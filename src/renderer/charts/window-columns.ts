import type { ColumnRing } from '../state/column-ring.ts'

export type Column = (number | null)[]

/**
 * The rows of a ring inside a time window, as the plain arrays uPlot draws. The arrays are
 * kept and refilled every frame rather than allocated. This is the one place NaN becomes null:
 * uPlot treats only null as a gap (leeoniya/uPlot#1045), and a NaN would poison its scales.
 */
export class WindowColumns {
  readonly x: number[] = []
  readonly ys: Column[]
  /** [x, ...ys]: the same array every frame, ready for uPlot.setData. */
  readonly data: [number[], ...Column[]]

  constructor(series: number) {
    this.ys = Array.from({ length: series }, () => [])
    this.data = [this.x, ...this.ys]
  }

  get length(): number {
    return this.x.length
  }

  /**
   * Fills with the rows whose t >= from, column cols[k] of the ring into ys[k]. When the
   * window holds more rows than maxPoints, each bucket of rows is drawn as its min then its
   * max, so a one-sample spike still shows at any zoom.
   */
  fill(ring: ColumnRing, from: number, cols: readonly number[], maxPoints: number): this {
    const start = ring.lowerBound(from)
    const n = ring.length - start
    const x = this.x
    const buckets = Math.max(1, Math.floor(maxPoints / 2))
    if (n <= maxPoints) {
      x.length = n
      for (let i = 0; i < n; i++) x[i] = ring.t[ring.slot(start + i)]!
      for (let k = 0; k < cols.length; k++) {
        const src = ring.values[cols[k]!]!
        const y = this.ys[k]!
        y.length = n
        for (let i = 0; i < n; i++) {
          const v = src[ring.slot(start + i)]!
          y[i] = Number.isFinite(v) ? v : null
        }
      }
      return this
    }
    let out = 0
    for (let b = 0; b < buckets; b++) {
      const i0 = start + Math.floor((b * n) / buckets)
      const i1 = start + Math.floor(((b + 1) * n) / buckets)
      if (i1 <= i0) continue
      const two = i1 - i0 > 1
      x[out] = ring.t[ring.slot(i0)]!
      if (two) x[out + 1] = ring.t[ring.slot(i1 - 1)]!
      for (let k = 0; k < cols.length; k++) {
        const src = ring.values[cols[k]!]!
        let lo = Infinity
        let hi = -Infinity
        for (let i = i0; i < i1; i++) {
          const v = src[ring.slot(i)]!
          if (v < lo) lo = v
          if (v > hi) hi = v
        }
        const y = this.ys[k]!
        y[out] = Number.isFinite(lo) ? lo : null
        if (two) y[out + 1] = Number.isFinite(hi) ? hi : null
      }
      out += two ? 2 : 1
    }
    x.length = out
    for (const y of this.ys) y.length = out
    return this
  }
}
