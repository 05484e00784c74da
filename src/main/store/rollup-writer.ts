import type { Database, Statement } from 'better-sqlite3'
import { decodeTimes, f64Of, u8Of } from './block-codec.ts'
import {
  INTERVAL_BYTES,
  clearIntervals,
  mergeSlot,
  newIntervals,
  packIntervals,
  unpackAgg,
  unpackMinMax,
  type Intervals,
} from './rollup-codec.ts'
import { coarsen, foldSamples } from './rollup-fold.ts'
import { LEVELS, ROW_INTERVALS, SOURCE, finestLevel } from './rollup-levels.ts'
import { BLOCK_SAMPLES } from './schema.ts'

/**
 * Most rows cached at once, ~30 KB each. A hundred pumps whose blocks seal together touch
 * 1,000 tags x up to 15 levels in one transaction: cached whole, ~450 MB of columns for a
 * moment, which glibc then kept resident (bench/load soak). Past this many, the dirty rows are
 * written early (a later fold in the same transaction reads them back) and their columns reused.
 */
const MAX_CACHED_ROWS = 512
/** Forgotten rows' columns kept for reuse: enough for one flush's worth of a live transaction. */
const MAX_SPARE = 64

/** A rollup row being updated: `ivs.first` is its first interval; [lo, hi) the slots holding data. */
interface Row {
  tagRow: number
  level: number
  ivs: Intervals
  lo: number
  hi: number
  dirty: boolean
  used: boolean
}

/**
 * Keeps the rollups in step with the sealed blocks, inside the writer's transactions.
 *
 * Rollups are written from each block as it is sealed (live data, once its block is full) or
 * inserted (an import), rather than rebuilt from the blocks' stored summaries later: the
 * writer has the block's columns in memory at that moment, so folding them costs one pass
 * and no read. The invariant readers rely on: a sealed block whose `rolled` is L has all its
 * samples in every level from L up, committed in the same transaction as the block; unsealed
 * fragments are in no rollup and are always read raw.
 *
 * Rows touched by a transaction are cached and written once at its end (flush), so an import
 * that folds hundreds of blocks into the same rows rewrites each row once per commit, not
 * once per block.
 *
 * With `deltas`, the cache holds only what was folded since the row was last written, and a
 * write merges it into the stored row: several writers (an import's parallel ranges, each
 * ascending on its own) can then fold into the same rows, where cached whole rows would
 * overwrite each other's samples.
 */
export class RollupWriter {
  private readonly db: Database
  private readonly load: Statement
  private readonly save: Statement
  private readonly rows = new Map<string, Row>()
  /** Per level: one block's intervals, reused for every block. */
  private readonly scratch = LEVELS.map(() => newIntervals(BLOCK_SAMPLES))
  private readonly packBuf = new ArrayBuffer(ROW_INTERVALS * INTERVAL_BYTES + 8)
  /** Columns of forgotten rows, for the next rows (taken one at a time). */
  private readonly spare: Intervals[] = []
  private readonly deltas: boolean
  private readonly maxCachedRows: number

  constructor(db: Database, opts: { deltas?: boolean; maxCachedRows?: number } = {}) {
    this.db = db
    this.deltas = opts.deltas ?? false
    this.maxCachedRows = opts.maxCachedRows ?? MAX_CACHED_ROWS
    this.load = db
      .prepare('SELECT i0, n, mm, agg FROM rollups WHERE tag_id = ? AND level = ? AND t0 = ?')
      .raw()
    this.save = db.prepare(
      'INSERT INTO rollups (tag_id, level, t0, i0, n, mm, agg) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tag_id, level, t0) DO UPDATE SET i0 = excluded.i0, n = excluded.n, mm = excluded.mm, agg = excluded.agg',
    )
  }

  /** The finest level sorted times[lo, hi) will be folded into, for the block's `rolled` column. */
  levelFor(times: Float64Array, lo: number, hi: number): number {
    return finestLevel(times, lo, hi)
  }

  /** Folds one tag's samples [lo, hi) into `finest` and every coarser level. */
  foldTag(
    tagRow: number,
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
      this.merge(tagRow, level, out)
    }
  }

  /** Writes every row changed since the last flush and forgets rows this transaction did not use. */
  flush(): void {
    for (const [key, row] of this.rows) {
      if (row.dirty) this.write(row)
      if (!row.used) {
        this.rows.delete(key)
        this.recycle(row.ivs)
      }
      row.used = false
    }
  }

  /** Writes every cached row and forgets them all, keeping some columns for the next rows. */
  private spill(): void {
    for (const row of this.rows.values()) {
      if (row.dirty) this.write(row)
      this.recycle(row.ivs)
    }
    this.rows.clear()
  }

  private recycle(ivs: Intervals): void {
    if (this.spare.length < MAX_SPARE) this.spare.push(ivs)
  }

  /**
   * Writes and forgets the rows that end at or before `time`: for a writer fed ascending
   * samples only (an import's stage), those rows are complete, so each is written once
   * however many transactions fed it, and the rows kept are one per tag and level at most.
   */
  flushClosed(time: number): void {
    for (const [key, row] of this.rows) {
      if ((row.ivs.first + ROW_INTERVALS) * LEVELS[row.level]! > time) continue
      if (row.dirty) this.write(row)
      this.rows.delete(key)
      // A long import closes thousands of rows: reusing their columns keeps its heap flat.
      this.spare.push(row.ivs)
    }
  }

  private write(row: Row): void {
    const interval = LEVELS[row.level]!
    if (this.deltas) this.loadInto(row)
    const [mm, agg] = packIntervals(row.ivs, row.lo, row.hi, this.packBuf)
    this.save.run(row.tagRow, interval, row.ivs.first * interval, row.lo, row.hi - row.lo, mm, agg)
    row.dirty = false
    if (this.deltas) {
      // What was written is the stored row's now; the cache starts a new delta.
      clearIntervals(row.ivs, row.lo, row.hi)
      row.lo = ROW_INTERVALS
      row.hi = 0
    }
  }

  /** After a failed transaction: the cached rows may hold what was rolled back. */
  reset(): void {
    this.rows.clear()
  }

  /**
   * Folds up to `limit` sealed blocks that are in no rollup yet (from a file written before
   * rollups existed, or fragments sealed as they were); returns how many it folded.
   */
  backfill(limit: number): number {
    const blocks = this.db
      .prepare('SELECT id, t0, n, dt, t FROM time_blocks WHERE sealed = 1 AND rolled IS NULL LIMIT ?')
      .all(limit) as { id: number; t0: number; n: number; dt: number | null; t: Buffer | null }[]
    const columns = this.db.prepare('SELECT tag_id, v, q FROM value_blocks WHERE block_id = ?').raw()
    const mark = this.db.prepare('UPDATE time_blocks SET rolled = ? WHERE id = ?')
    for (const b of blocks) {
      const times = decodeTimes(b.t0, b.n, b.dt, b.t)
      const finest = this.levelFor(times, 0, b.n)
      for (const [tagRow, v, q] of columns.all(b.id) as [number, Buffer, Buffer | null][])
        this.foldTag(tagRow, times, f64Of(v), q ? u8Of(q) : null, 0, b.n, finest)
      mark.run(LEVELS[finest], b.id)
    }
    return blocks.length
  }

  /** Merges the stored row (if any) into the cached one. */
  private loadInto(row: Row): void {
    const interval = LEVELS[row.level]!
    const stored = this.load.get(row.tagRow, interval, row.ivs.first * interval) as
      [number, number, Buffer, Buffer] | undefined
    if (!stored) return
    const [i0, n, mm, agg] = stored
    const src: Intervals = { first: row.ivs.first + i0, n, ...unpackMinMax(mm, n), ...unpackAgg(agg, n) }
    for (let j = 0; j < n; j++) mergeSlot(row.ivs, i0 + j, src, j)
    if (i0 < row.lo) row.lo = i0
    if (i0 + n > row.hi) row.hi = i0 + n
  }

  private merge(tagRow: number, level: number, src: Intervals): void {
    let row: Row | undefined
    for (let j = 0; j < src.n; j++) {
      if (src.cnt[j] === 0 && src.q[j] === 0) continue
      const abs = src.first + j
      const rowFirst = Math.floor(abs / ROW_INTERVALS) * ROW_INTERVALS
      if (!row || row.ivs.first !== rowFirst) row = this.row(tagRow, level, rowFirst)
      const i = abs - rowFirst
      mergeSlot(row.ivs, i, src, j)
      if (i < row.lo) row.lo = i
      if (i + 1 > row.hi) row.hi = i + 1
      row.dirty = true
    }
  }

  private row(tagRow: number, level: number, first: number): Row {
    const key = `${tagRow}/${level}/${first}`
    let row = this.rows.get(key)
    if (!row) {
      if (this.rows.size >= this.maxCachedRows) this.spill()
      const ivs = this.spare.pop() ?? newIntervals(ROW_INTERVALS)
      ivs.first = first
      ivs.n = ROW_INTERVALS
      clearIntervals(ivs, 0, ROW_INTERVALS)
      row = { tagRow, level, ivs, lo: ROW_INTERVALS, hi: 0, dirty: false, used: true }
      // A delta starts empty; the stored row joins it when it is written.
      if (!this.deltas) this.loadInto(row)
      this.rows.set(key, row)
    }
    row.used = true
    return row
  }
}
