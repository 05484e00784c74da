/*
 * The inner loops of decimation. A block's times are sorted, so its samples fall into
 * buckets as contiguous runs: the runs are found once per block, then each tag folds each
 * run into its bucket with the running min/max in locals. Allocation-free; NaN = no value.
 */

/** Scratch for the runs of one block, grown to the largest block seen. */
export interface Runs {
  /** Run r covers samples [start[r], start[r + 1]). */
  start: Int32Array
  bucket: Int32Array
  count: number
}

export const newRuns = (): Runs => ({ start: new Int32Array(0), bucket: new Int32Array(0), count: 0 })

/** Splits sorted times[lo, hi) into runs of one bucket each; buckets are `scale` per ms from `from`, capped at `last`. */
export function findRuns(
  times: Float64Array,
  lo: number,
  hi: number,
  from: number,
  scale: number,
  last: number,
  runs: Runs,
): void {
  if (runs.start.length < hi - lo + 1) {
    runs.start = new Int32Array(times.length + 1)
    runs.bucket = new Int32Array(times.length + 1)
  }
  let r = 0
  let prev = -1
  for (let i = lo; i < hi; i++) {
    let b = Math.floor((times[i]! - from) * scale)
    if (b > last) b = last
    if (b !== prev) {
      runs.start[r] = i
      runs.bucket[r++] = b
      prev = b
    }
  }
  runs.start[r] = hi
  runs.count = r
}

/** Folds one tag's values (and quality flags, OR-ed) into the per-bucket min/max. */
export function foldRuns(
  v: Float64Array,
  q: Uint8Array | null,
  runs: Runs,
  min: Float64Array,
  max: Float64Array,
  qor: Uint8Array,
): void {
  for (let r = 0; r < runs.count; r++) {
    const b = runs.bucket[r]!
    const end = runs.start[r + 1]!
    let lo = min[b]!
    let hi = max[b]!
    for (let i = runs.start[r]!; i < end; i++) {
      const x = v[i]!
      if (x !== x) continue
      if (!(lo <= x)) lo = x
      if (!(hi >= x)) hi = x
    }
    min[b] = lo
    max[b] = hi
    if (q) {
      let flags = qor[b]!
      for (let i = runs.start[r]!; i < end; i++) flags |= q[i]!
      qor[b] = flags
    }
  }
}

/** Marks every bucket a run touches with `flag` (a tag without values in this block). */
export function flagRuns(runs: Runs, flag: number, qor: Uint8Array): void {
  for (let r = 0; r < runs.count; r++) qor[runs.bucket[r]!]! |= flag
}

/**
 * findRuns for a grid of buckets `width` ms wide from `start`, by division, so a sample
 * exactly on a boundary lands in the same bucket as the rollup interval holding it.
 */
export function findGridRuns(
  times: Float64Array,
  lo: number,
  hi: number,
  start: number,
  width: number,
  last: number,
  runs: Runs,
): void {
  if (runs.start.length < hi - lo + 1) {
    runs.start = new Int32Array(times.length + 1)
    runs.bucket = new Int32Array(times.length + 1)
  }
  let r = 0
  let prev = -1
  for (let i = lo; i < hi; i++) {
    let b = Math.floor((times[i]! - start) / width)
    if (b > last) b = last
    if (b !== prev) {
      runs.start[r] = i
      runs.bucket[r++] = b
      prev = b
    }
  }
  runs.start[r] = hi
  runs.count = r
}
