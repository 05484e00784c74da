/*
 * Building one block's rollup intervals: raw samples are folded once into the finest level
 * the block takes, and each coarser level is merged from a finer one that divides it, so a
 * block costs one pass over its values plus a pass over ever fewer intervals per level.
 * Allocation-free: the caller owns the Intervals, sized for a block.
 */
import { clearIntervals, mergeSlot, type Intervals } from './rollup-codec.ts'

/** Folds sorted times[lo, hi) with their values (NaN = none) and quality into intervals of `interval` ms. */
export function foldSamples(
  times: Float64Array,
  v: Float64Array,
  q: Uint8Array | null,
  lo: number,
  hi: number,
  interval: number,
  out: Intervals,
): void {
  const first = Math.floor(times[lo]! / interval)
  const n = Math.floor(times[hi - 1]! / interval) - first + 1
  if (n > out.min.length)
    throw new Error(`rollup fold: ${n} intervals of ${interval} ms exceed ${out.min.length}`)
  out.first = first
  out.n = n
  clearIntervals(out, 0, n)
  // Times are sorted, so each interval is one run, folded by an inner loop with its figures in
  // locals: about 3x faster than one flat loop testing for the run's end.
  let i = lo
  while (i < hi) {
    const abs = Math.floor(times[i]! / interval)
    const end = (abs + 1) * interval
    const start = i
    let mn = Infinity
    let mx = -Infinity
    let sum = 0
    let cnt = 0
    for (; i < hi && times[i]! < end; i++) {
      const x = v[i]!
      if (x !== x) continue
      if (x < mn) mn = x
      if (x > mx) mx = x
      sum += x
      cnt++
    }
    const j = abs - first
    out.min[j] = cnt > 0 ? mn : NaN
    out.max[j] = cnt > 0 ? mx : NaN
    out.sum[j] = sum
    out.cnt[j] = cnt
    if (q) {
      let flags = 0
      for (let k = start; k < i; k++) flags |= q[k]!
      out.q[j] = flags
    }
  }
}

/** Merges `src` into intervals `ratio` times as long. */
export function coarsen(src: Intervals, ratio: number, out: Intervals): void {
  const first = Math.floor(src.first / ratio)
  const n = Math.floor((src.first + src.n - 1) / ratio) - first + 1
  out.first = first
  out.n = n
  clearIntervals(out, 0, n)
  for (let j = 0; j < src.n; j++) mergeSlot(out, Math.floor((src.first + j) / ratio) - first, src, j)
}
