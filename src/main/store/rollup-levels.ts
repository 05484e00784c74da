/*
 * The rollup ladder and the two choices made from it: which levels a block is folded into
 * (writer) and which level answers a query (reader).
 *
 * Steps of 2-3 rather than the three classic levels (second, minute, hour, which are on the
 * ladder): a query reads k rows per bucket where a bucket is k intervals of one level, and
 * with steps of at most 3 some level always gives k in 2..6 (2-4 for most spans) instead of
 * up to 60. Every interval divides a day and is derived from a finer one that divides it
 * (SOURCE), so a block is folded from raw once, at its finest level, and coarsened from there.
 *
 * A level is worth storing only where it summarises many samples: an interval costs 29 bytes
 * per tag (rollup-codec.ts), so a per-second level over 1 Hz data would cost 3.6x the raw
 * data it repeats. A block is folded into a level only when it averages MIN_DENSITY samples
 * per interval there; finer levels are answered from the raw blocks, which then cost at most
 * ~2 * MIN_DENSITY values per bucket to read. At 1 Hz that starts the ladder at 30 s, for
 * ~1.9 bytes per value over the ~8 of the raw blocks. Levels from one minute up take every
 * block whatever its rate: they are what remains once retention has dropped the raw data.
 */

/** Interval of each level, in ms, finest first. */
export const LEVELS = [
  1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000, 7_200_000,
  21_600_000, 43_200_000, 86_400_000,
] as const

/** Index in LEVELS of the finer level each one is coarsened from; -1: from raw samples. */
export const SOURCE: readonly number[] = LEVELS.map((l, i) => {
  for (let j = i - 1; j >= 0; j--) if (l % LEVELS[j]! === 0) return j
  return -1
})

/** Levels from this one up hold every sealed block, and outlive the raw data under retention. */
export const KEPT_LEVEL = LEVELS.indexOf(60_000)
export const MIN_DENSITY = 16
/** Intervals per rollup row: a row of level L covers ROW_INTERVALS * L, aligned on multiples of it. */
export const ROW_INTERVALS = 1024
/** Most rollup intervals a query folds per bucket. */
export const MAX_ROWS_PER_BUCKET = 4

/**
 * The finest level sorted times[lo, hi) are folded into (and every coarser one): the first
 * where the samples average MIN_DENSITY per interval they touch, at most KEPT_LEVEL.
 */
export function finestLevel(times: Float64Array, lo: number, hi: number): number {
  const n = hi - lo
  const t0 = times[lo]!
  const t1 = times[hi - 1]!
  for (let i = 0; i < KEPT_LEVEL; i++) {
    const l = LEVELS[i]!
    if (n >= MIN_DENSITY * (Math.floor(t1 / l) - Math.floor(t0 / l) + 1)) return i
  }
  return KEPT_LEVEL
}

/** A decimation grid on a rollup level: buckets of k intervals, aligned on multiples of k * interval. */
export interface Grid {
  level: number
  k: number
  /** Bucket width, ms. */
  width: number
  /** Start of bucket 0 (at or before the range's start). */
  start: number
  buckets: number
}

/**
 * The grid with the most buckets, at most maxPoints, each 2..MAX_ROWS_PER_BUCKET intervals of
 * one level (the coarser level on a tie); null when even the finest level is too coarse.
 * The bucket count is then between ~2/3 of maxPoints and maxPoints.
 * `minLevel` excludes finer levels (those retention has dropped for part of the range).
 */
export function chooseGrid(from: number, to: number, maxPoints: number, minLevel = 0): Grid | null {
  // Below two of the finest intervals per bucket an aligned grid would waste most of maxPoints;
  // such short spans are cheap to read raw.
  if (minLevel === 0 && (to - from) / maxPoints < 2 * LEVELS[0]) return null
  let best: Grid | null = null
  for (let level = minLevel; level < LEVELS.length; level++) {
    const g = grid(from, to, maxPoints, level, MAX_ROWS_PER_BUCKET)
    if (g && (!best || g.buckets >= best.buckets)) best = g
  }
  // Spans of years at few points: days, as many per bucket as it takes.
  return best ?? grid(from, to, maxPoints, LEVELS.length - 1, Infinity)
}

function grid(from: number, to: number, maxPoints: number, level: number, maxK: number): Grid | null {
  const l = LEVELS[level]!
  for (let k = Math.max(2, Math.floor((to - from) / maxPoints / l)); k <= maxK; k++) {
    const width = k * l
    const first = Math.floor(from / width)
    const buckets = Math.ceil(to / width) - first
    if (buckets <= maxPoints) return { level, k, width, start: first * width, buckets }
  }
  return null
}
