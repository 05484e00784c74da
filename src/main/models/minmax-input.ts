import type { ModelCard } from '../../shared/model-card.ts'

/**
 * The card's min-max scaling, (x - min) / (max - min) per tag, into a float32 input buffer
 * reused from call to call. A tag flat in training (max = min) scales by 1 rather than
 * dividing by zero. A missing value would spread through a recurrent graph to the whole
 * input, so it is fed as 0 and its item marked in `bad` for the caller to report as NaN.
 */
export class MinMaxInput {
  private readonly min: Float64Array
  private readonly inv: Float64Array
  private buf = new Float32Array(0)

  constructor(card: ModelCard) {
    const min = Float64Array.from(card.inputs.scaler.min)
    this.min = min
    this.inv = Float64Array.from(card.inputs.scaler.max, (hi, j) => (hi > min[j]! ? 1 / (hi - min[j]!) : 1))
  }

  /**
   * Scales n items of `per` values each (row-major, tags innermost) from `raw`; returns the
   * float32 view to feed and a flag per item that held a missing value.
   */
  scale(raw: Float64Array, n: number, per: number): { x: Float32Array; bad: Uint8Array } {
    if (this.buf.length < n * per) this.buf = new Float32Array(n * per)
    const T = this.min.length
    const bad = new Uint8Array(n)
    const x = this.buf
    for (let w = 0, i = 0; w < n; w++)
      for (let k = 0; k < per; k++, i++) {
        const j = k % T
        const v = (raw[i]! - this.min[j]!) * this.inv[j]!
        if (v - v !== 0) {
          bad[w] = 1
          x[i] = 0
        } else x[i] = v
      }
    return { x: x.subarray(0, n * per), bad }
  }
}

/** Value `col` of each of n items from an output of n x width values ([batch], [batch, 1] or [batch, width]). */
export function column(data: ArrayLike<number>, n: number, col = 0): Float64Array {
  const width = n > 0 ? Math.floor(data.length / n) : 1
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) out[i] = Number(data[i * width + Math.min(col, width - 1)])
  return out
}
