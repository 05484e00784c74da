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
 */
export class RollupWriter {
  private readonly db: Database
  private readonly load: Statement
  private readonly save: Statement
  private readonly rows = new Map<string, Row>()
  /** Per level: one block's intervals, reused for every block. */
  private readonly scratch = LEVELS.map(() => newIntervals(BLOCK_SAMPLES))
  private readonly packBuf = new ArrayBuffer(ROW_INTERVALS * INTERVAL_BYTES + 8)
  /** Columns of rows flushClosed forgot, for the next rows (cleared when taken). */
  private readonly spare: Intervals[] = []

  constructor(db: Database) {
    this.db = db
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
      if (!row.used) this.rows.delete(key)
      row.used = false
    }
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
    const [mm, agg] = packIntervals(row.ivs, row.lo, row.hi, this.packBuf)
    this.save.run(row.tagRow, interval, row.ivs.first * interval, row.lo, row.hi - row.lo, mm, agg)
    row.dirty = false
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
      const ivs = this.spare.pop() ?? newIntervals(ROW_INTERVALS)
      ivs.first = first
      ivs.n = ROW_INTERVALS
      clearIntervals(ivs, 0, ROW_INTERVALS)
      row = { tagRow, level, ivs, lo: ROW_INTERVALS, hi: 0, dirty: false, used: true }
      const stored = this.load.get(tagRow, LEVELS[level], first * LEVELS[level]!) as
        [number, number, Buffer, Buffer] | undefined
      if (stored) {
        const [i0, n, mm, agg] = stored
        const m = unpackMinMax(mm, n)
        const a = unpackAgg(agg, n)
        ivs.min.set(m.min, i0)
        ivs.max.set(m.max, i0)
        ivs.q.set(m.q, i0)
        ivs.sum.set(a.sum, i0)
        ivs.cnt.set(a.cnt, i0)
        row.lo = i0
        row.hi = i0 + n
      }
      this.rows.set(key, row)
    }
    row.used = true
    return row
  }
}
