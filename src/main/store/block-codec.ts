/*
 * How columns become BLOBs and back. A blob is the typed array's bytes as they are in memory
 * (little-endian on every target), so writing is a view and reading is one copy by SQLite.
 */

/** A Buffer over `a[start, end)` without copying (better-sqlite3 copies it when binding). */
export function blobOf(a: Float64Array | Uint8Array, start: number, end: number): Buffer {
  const size = a.BYTES_PER_ELEMENT
  return Buffer.from(a.buffer, a.byteOffset + start * size, (end - start) * size)
}

/** The doubles in a blob; a view when the blob is 8-byte aligned (SQLite's copies are). */
export function f64Of(b: Buffer): Float64Array {
  if (b.byteOffset % 8 === 0) return new Float64Array(b.buffer, b.byteOffset, b.byteLength >>> 3)
  const copy = new Float64Array(b.byteLength >>> 3)
  new Uint8Array(copy.buffer).set(b)
  return copy
}

export function u8Of(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength)
}

/**
 * The step of evenly spaced times in t[start, end), or null. Exact: a time is kept out of
 * the file only if `t0 + i * dt` gives back the very same double, as decodeTimes computes it.
 */
export function regularStep(t: Float64Array, start: number, end: number): number | null {
  const n = end - start
  const t0 = t[start]!
  if (n === 1) return 0
  const dt = (t[end - 1]! - t0) / (n - 1)
  for (let i = 1; i < n; i++) if (t[start + i] !== t0 + i * dt) return null
  return dt
}

/** A block's times: rebuilt from t0 and dt when the block stored none. */
export function decodeTimes(t0: number, n: number, dt: number | null, blob: Buffer | null): Float64Array {
  if (blob) return f64Of(blob)
  const t = new Float64Array(n)
  for (let i = 0; i < n; i++) t[i] = t0 + i * dt!
  return t
}

/** First index in sorted t whose time is >= x. */
export function lowerBound(t: Float64Array, x: number): number {
  let lo = 0
  let hi = t.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (t[mid]! < x) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Count, min, max, sum of the non-NaN values and OR of the quality flags in [start, end). */
export interface BlockStats {
  nvalid: number
  vmin: number
  vmax: number
  vsum: number
  qor: number
}

export function blockStats(
  v: Float64Array,
  q: Uint8Array | null,
  start: number,
  end: number,
  out: BlockStats,
): BlockStats {
  let nvalid = 0
  let vmin = Infinity
  let vmax = -Infinity
  let vsum = 0
  let qor = 0
  for (let i = start; i < end; i++) {
    const x = v[i]!
    if (q) qor |= q[i]!
    if (x !== x) continue
    nvalid++
    if (x < vmin) vmin = x
    if (x > vmax) vmax = x
    vsum += x
  }
  out.nvalid = nvalid
  out.vmin = vmin
  out.vmax = vmax
  out.vsum = vsum
  out.qor = qor
  return out
}
