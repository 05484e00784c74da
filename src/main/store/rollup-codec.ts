/*
 * Rollup intervals in memory and on disk. An interval holds the min, max, sum and count of
 * the valid values in it and the OR of their quality flags (NaN min/max and count 0 when it
 * has no valid value). In a row they are columns, in two BLOBs per (tag, level, row):
 *   mm:  f64 min[n] | f64 max[n] | u8 quality[n]    what a range query reads
 *   agg: f64 sum[n] | u32 count[n]                   for means, and for merging
 * 29 bytes an interval; a query reads 17 of them. Min and max stay doubles: a spike must come
 * back exactly as it was written.
 */

/** Columns of rollup intervals; slot j holds absolute interval `first + j` of its level. */
export interface Intervals {
  first: number
  /** Slots in use, [0, n). */
  n: number
  min: Float64Array
  max: Float64Array
  sum: Float64Array
  cnt: Uint32Array
  q: Uint8Array
}

/**
 * Part of one rollup row, packed as the rollups table stores it (mm and agg BLOBs): what an
 * import's parsing thread folded (producer-rollups.ts), for the writer to merge into the row.
 */
export interface PackedRollup {
  /** The tag, as its column in the stage's batches. */
  column: number
  /** The level's interval and the row's start, ms (the row's key beside the tag). */
  interval: number
  t0: number
  /** The slots [i0, i0 + n) of the row that mm and agg hold. */
  i0: number
  n: number
  mm: Uint8Array
  agg: Uint8Array
}

/** Bytes an interval takes on disk (plus alignment padding in the packing scratch). */
export const INTERVAL_BYTES = 29

export function newIntervals(capacity: number): Intervals {
  return {
    first: 0,
    n: 0,
    min: new Float64Array(capacity),
    max: new Float64Array(capacity),
    sum: new Float64Array(capacity),
    cnt: new Uint32Array(capacity),
    q: new Uint8Array(capacity),
  }
}

/** Empties slots [from, to). */
export function clearIntervals(a: Intervals, from: number, to: number): void {
  a.min.fill(NaN, from, to)
  a.max.fill(NaN, from, to)
  a.sum.fill(0, from, to)
  a.cnt.fill(0, from, to)
  a.q.fill(0, from, to)
}

/** Folds slot j of src into slot i of dst. */
export function mergeSlot(dst: Intervals, i: number, src: Intervals, j: number): void {
  const c = src.cnt[j]!
  if (c > 0) {
    const lo = src.min[j]!
    const hi = src.max[j]!
    if (dst.cnt[i] === 0) {
      dst.min[i] = lo
      dst.max[i] = hi
    } else {
      if (lo < dst.min[i]!) dst.min[i] = lo
      if (hi > dst.max[i]!) dst.max[i] = hi
    }
    dst.sum[i]! += src.sum[j]!
    dst.cnt[i]! += c
  }
  dst.q[i]! |= src.q[j]!
}

/** Slots [lo, hi) of `a` as the mm and agg BLOBs; `scratch` must hold INTERVAL_BYTES per slot. */
export function packIntervals(a: Intervals, lo: number, hi: number, scratch: ArrayBuffer): [Buffer, Buffer] {
  const n = hi - lo
  new Float64Array(scratch, 0, n).set(a.min.subarray(lo, hi))
  new Float64Array(scratch, 8 * n, n).set(a.max.subarray(lo, hi))
  new Uint8Array(scratch, 16 * n, n).set(a.q.subarray(lo, hi))
  // agg starts on the next multiple of 8 so its doubles stay aligned in the scratch.
  const at = (17 * n + 7) & ~7
  new Float64Array(scratch, at, n).set(a.sum.subarray(lo, hi))
  new Uint32Array(scratch, at + 8 * n, n).set(a.cnt.subarray(lo, hi))
  return [Buffer.from(scratch, 0, 17 * n), Buffer.from(scratch, at, 12 * n)]
}

/** An 8-byte aligned view of a BLOB's bytes (one copy when SQLite's buffer is not). */
function aligned(blob: Buffer): [ArrayBufferLike, number] {
  if (blob.byteOffset % 8 === 0) return [blob.buffer, blob.byteOffset]
  const copy = new Uint8Array(blob.byteLength)
  copy.set(blob)
  return [copy.buffer, 0]
}

/** The columns of an mm BLOB of n slots. */
export function unpackMinMax(mm: Buffer, n: number): Pick<Intervals, 'min' | 'max' | 'q'> {
  const [buf, at] = aligned(mm)
  return {
    min: new Float64Array(buf, at, n),
    max: new Float64Array(buf, at + 8 * n, n),
    q: new Uint8Array(buf, at + 16 * n, n),
  }
}

/** The columns of an agg BLOB of n slots. */
export function unpackAgg(agg: Buffer, n: number): Pick<Intervals, 'sum' | 'cnt'> {
  const [buf, at] = aligned(agg)
  return { sum: new Float64Array(buf, at, n), cnt: new Uint32Array(buf, at + 8 * n, n) }
}
