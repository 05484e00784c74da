import { clearIntervals, mergeSlot, newIntervals, type Intervals } from './rollup-codec.ts'
import { coarsen, foldSamples } from './rollup-fold.ts'
import { LEVELS, ROW_INTERVALS, SOURCE } from './rollup-levels.ts'
import { BLOCK_SAMPLES, BLOCK_SPAN_MS } from './schema.ts'

/** Forgotten rows' columns kept for reuse: enough for one flush's worth of a live transaction. */
const MAX_SPARE = 64

/** A rollup row being updated: `ivs.first` is its first interval; [lo, hi) the slots holding data. */
export interface CachedRow {
  /** Whose row: a tag's row id (the writer) or its column in the batches (a producer thread). */
  tag: number
  level: number
  ivs: Intervals
  lo: number
  hi: number
  dirty: boolean
  used: boolean
}

/**
 * Rollup rows being folded, in memory, and the folding itself: a block's samples go into the
 * finest level it takes and are coarsened from there (rollup-fold.ts), then merged into the
 * cached row each interval belongs to. What happens to a row when it is created and written
 * is the subclass's: the history writer loads and stores rows in SQLite (rollup-writer.ts); an
 * import's parsing thread packs them as deltas for the writer to merge (producer-rollups.ts),
 * which takes the folding off the writer's thread.
 */
export abstract class RollupCache {
  protected readonly rows = new Map<string, CachedRow>()
  /**
   * Per level: one block's intervals, reused for every block. A block holds at most
   * BLOCK_SAMPLES samples within BLOCK_SPAN_MS, so it touches no more intervals than either
   * allows: ~27 KB for all levels, where BLOCK_SAMPLES each took 1.8 MB.
   */
  private readonly scratch = LEVELS.map((l) =>
    newIntervals(Math.min(BLOCK_SAMPLES, Math.floor(BLOCK_SPAN_MS / l) + 2)),
  )
  /** Columns of forgotten rows, for the next rows (taken one at a time). */
  private readonly spare: Intervals[] = []
  private readonly maxCachedRows: number

  constructor(maxCachedRows: number) {
    this.maxCachedRows = maxCachedRows
  }

  /** A row was created empty; `ivs.first` is set. */
  protected abstract created(row: CachedRow): void
  /** The cache holds maxCachedRows: make room (every row may be forgotten after this). */
  protected abstract full(): void

  /** Folds one tag's samples [lo, hi) into `finest` and every coarser level. */
  foldTag(
    tag: number,
    times: Float64Array,
    v: Float64Array,
    q: Uint8Array | null,
    lo: number,
    hi: number,
    finest: number,
  ): void {
    for (let level = finest; level < LEVELS.length; level++) {
      const out = this.scratch[level]!
      const src = SOURCE[level]!
      if (src >= finest) coarsen(this.scratch[src]!, LEVELS[level]! / LEVELS[src]!, out)
      else foldSamples(times, v, q, lo, hi, LEVELS[level]!, out)
      this.merge(tag, level, out)
    }
  }

  /** Hands the rows that end at or before `time` to `out`, then forgets them. */
  protected takeClosed(time: number, out: (row: CachedRow) => void): void {
    for (const [key, row] of this.rows) {
      if ((row.ivs.first + ROW_INTERVALS) * LEVELS[row.level]! > time) continue
      out(row)
      this.rows.delete(key)
      // A long import closes thousands of rows: reusing their columns keeps its heap flat.
      this.spare.push(row.ivs)
    }
  }

  /** Forgets one row, keeping its columns for a later one while there are few spare. */
  protected forget(key: string, row: CachedRow): void {
    this.rows.delete(key)
    if (this.spare.length < MAX_SPARE) this.spare.push(row.ivs)
  }

  private merge(tag: number, level: number, src: Intervals): void {
    let row: CachedRow | undefined
    for (let j = 0; j < src.n; j++) {
      if (src.cnt[j] === 0 && src.q[j] === 0) continue
      const abs = src.first + j
      const rowFirst = Math.floor(abs / ROW_INTERVALS) * ROW_INTERVALS
      if (!row || row.ivs.first !== rowFirst) row = this.row(tag, level, rowFirst)
      const i = abs - rowFirst
      mergeSlot(row.ivs, i, src, j)
      if (i < row.lo) row.lo = i
      if (i + 1 > row.hi) row.hi = i + 1
      row.dirty = true
    }
  }

  private row(tag: number, level: number, first: number): CachedRow {
    const key = `${tag}/${level}/${first}`
    let row = this.rows.get(key)
    if (!row) {
      if (this.rows.size >= this.maxCachedRows) this.full()
      const ivs = this.spare.pop() ?? newIntervals(ROW_INTERVALS)
      ivs.first = first
      ivs.n = ROW_INTERVALS
      clearIntervals(ivs, 0, ROW_INTERVALS)
      row = { tag, level, ivs, lo: ROW_INTERVALS, hi: 0, dirty: false, used: true }
      this.created(row)
      this.rows.set(key, row)
    }
    row.used = true
    return row
  }
}
