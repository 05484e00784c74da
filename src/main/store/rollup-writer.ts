import type { Database, Statement } from 'better-sqlite3'
import { decodeTimes, f64Of, u8Of } from './block-codec.ts'
import { RollupCache, type CachedRow } from './rollup-cache.ts'
import {
  INTERVAL_BYTES,
  clearIntervals,
  mergeSlot,
  newIntervals,
  packIntervals,
  unpackAgg,
  unpackMinMax,
  type Intervals,
  type PackedRollup,
} from './rollup-codec.ts'
import { LEVELS, ROW_INTERVALS, finestLevel } from './rollup-levels.ts'

/**
 * Most rows cached at once, ~30 KB each. A hundred pumps whose blocks seal together touch
 * 1,000 tags x up to 15 levels in one transaction: cached whole, ~450 MB of columns for a
 * moment, which glibc then kept resident (bench/load soak). Past this many, the dirty rows are
 * written early (a later fold in the same transaction reads them back) and their columns reused.
 */
const MAX_CACHED_ROWS = 512
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
export class RollupWriter extends RollupCache {
  private readonly db: Database
  private readonly load: Statement
  private readonly save: Statement
  private readonly packBuf = new ArrayBuffer(ROW_INTERVALS * INTERVAL_BYTES + 8)
  private readonly deltas: boolean
  /** A stored row and a delta merged (writeDelta), reused. */
  private merged: Intervals | null = null

  constructor(db: Database, opts: { deltas?: boolean; maxCachedRows?: number } = {}) {
    super(opts.maxCachedRows ?? MAX_CACHED_ROWS)
    this.db = db
    this.deltas = opts.deltas ?? false
    this.load = db
      .prepare('SELECT i0, n, mm, agg FROM rollups WHERE tag_id = ? AND level = ? AND t0 = ?')
      .raw()
    this.save = db.prepare(
      'INSERT INTO rollups (tag_id, level, t0, i0, n, mm, agg) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tag_id, level, t0) DO UPDATE SET i0 = excluded.i0, n = excluded.n, mm = excluded.mm, agg = excluded.agg',
    )
  }

  /** A delta starts empty (the stored row joins it when it is written); a whole row starts as stored. */
  protected created(row: CachedRow): void {
    if (!this.deltas) this.loadInto(row)
  }

  /** Writes every cached row and forgets them all, keeping some columns for the next rows. */
  protected full(): void {
    for (const [key, row] of this.rows) {
      if (row.dirty) this.write(row)
      this.forget(key, row)
    }
  }

  /** Writes every row changed since the last flush and forgets rows this transaction did not use. */
  flush(): void {
    for (const [key, row] of this.rows) {
      if (row.dirty) this.write(row)
      if (!row.used) this.forget(key, row)
      row.used = false
    }
  }

  /**
   * Writes and forgets the rows that end at or before `time`: for a writer fed ascending
   * samples only (an import's stage), those rows are complete, so each is written once
   * however many transactions fed it, and the rows kept are one per tag and level at most.
   */
  flushClosed(time: number): void {
    this.takeClosed(time, (row) => {
      if (row.dirty) this.write(row)
    })
  }

  private write(row: CachedRow): void {
    const interval = LEVELS[row.level]!
    if (this.deltas) this.loadInto(row)
    const [mm, agg] = packIntervals(row.ivs, row.lo, row.hi, this.packBuf)
    this.save.run(row.tag, interval, row.ivs.first * interval, row.lo, row.hi - row.lo, mm, agg)
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
      const finest = finestLevel(times, 0, b.n)
      for (const [tagRow, v, q] of columns.all(b.id) as [number, Buffer, Buffer | null][])
        this.foldTag(tagRow, times, f64Of(v), q ? u8Of(q) : null, 0, b.n, finest)
      mark.run(LEVELS[finest], b.id)
    }
    return blocks.length
  }

  /**
   * Merges a delta another thread folded and packed (producer-rollups.ts) into the stored row
   * of `tagRow`. Most deltas are whole rows nobody has written yet, stored as they came; only
   * rows two producers share (where an import's ranges meet) are read back and merged.
   */
  writeDelta(tagRow: number, d: PackedRollup): void {
    const mmIn = bufferOf(d.mm)
    const aggIn = bufferOf(d.agg)
    const stored = this.load.get(tagRow, d.interval, d.t0) as [number, number, Buffer, Buffer] | undefined
    if (!stored) {
      this.save.run(tagRow, d.interval, d.t0, d.i0, d.n, mmIn, aggIn)
      return
    }
    const into = (this.merged ??= newIntervals(ROW_INTERVALS))
    clearIntervals(into, 0, ROW_INTERVALS)
    const [i0, n, mm, agg] = stored
    mergePacked(into, i0, n, mm, agg)
    mergePacked(into, d.i0, d.n, mmIn, aggIn)
    const lo = Math.min(i0, d.i0)
    const hi = Math.max(i0 + n, d.i0 + d.n)
    const [mmOut, aggOut] = packIntervals(into, lo, hi, this.packBuf)
    this.save.run(tagRow, d.interval, d.t0, lo, hi - lo, mmOut, aggOut)
  }

  /** Merges the stored row (if any) into the cached one. */
  private loadInto(row: CachedRow): void {
    const interval = LEVELS[row.level]!
    const stored = this.load.get(row.tag, interval, row.ivs.first * interval) as
      [number, number, Buffer, Buffer] | undefined
    if (!stored) return
    const [i0, n, mm, agg] = stored
    mergePacked(row.ivs, i0, n, mm, agg)
    if (i0 < row.lo) row.lo = i0
    if (i0 + n > row.hi) row.hi = i0 + n
  }
}

/** Merges the packed slots [i0, i0 + n) of a row into the same slots of `dst`. */
function mergePacked(dst: Intervals, i0: number, n: number, mm: Buffer, agg: Buffer): void {
  const src: Intervals = { first: dst.first + i0, n, ...unpackMinMax(mm, n), ...unpackAgg(agg, n) }
  for (let j = 0; j < n; j++) mergeSlot(dst, i0 + j, src, j)
}

/** A Buffer over the bytes of a view (better-sqlite3 binds Buffers as BLOBs), without copying. */
function bufferOf(a: Uint8Array): Buffer {
  return Buffer.isBuffer(a) ? a : Buffer.from(a.buffer, a.byteOffset, a.byteLength)
}
