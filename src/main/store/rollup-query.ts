import type { Database, Statement } from 'better-sqlite3'
import { unpackMinMax } from './rollup-codec.ts'
import { LEVELS, ROW_INTERVALS, type Grid } from './rollup-levels.ts'

/**
 * Reads one tag's rollup intervals of a grid's level into its buckets. A row is one BLOB of
 * up to ROW_INTERVALS intervals (only their min, max and quality are read), so a month at
 * 10-minute intervals is 5 rows per tag.
 */
export class RollupReader {
  private readonly rows: Statement

  constructor(db: Database) {
    this.rows = db
      .prepare('SELECT t0, i0, n, mm FROM rollups WHERE tag_id = ? AND level = ? AND t0 > ? AND t0 < ?')
      .raw()
  }

  /** Folds the intervals starting in [a, z) (multiples of the level's interval) into the grid's buckets. */
  fold(
    tagRow: number,
    grid: Grid,
    a: number,
    z: number,
    min: Float64Array,
    max: Float64Array,
    qor: Uint8Array,
  ): void {
    if (a >= z) return
    const interval = LEVELS[grid.level]!
    const span = interval * ROW_INTERVALS
    const last = grid.buckets - 1
    for (const [t0, i0, n, mm] of this.rows.iterate(tagRow, interval, a - span, z) as Iterable<
      [number, number, number, Buffer]
    >) {
      const c = unpackMinMax(mm, n)
      // Slots outside [a, z) are skipped; the others fall k to a bucket, in order.
      const jFrom = Math.max(0, Math.ceil((a - t0) / interval) - i0)
      const jTo = Math.min(n, Math.ceil((z - t0) / interval) - i0)
      for (let j = jFrom; j < jTo; j++) {
        const lo = c.min[j]!
        const hi = c.max[j]!
        const b = Math.min(last, Math.floor((t0 + (i0 + j) * interval - grid.start) / grid.width))
        qor[b]! |= c.q[j]!
        // An interval without a valid value has NaN min and max.
        if (lo === lo) {
          if (!(min[b]! <= lo)) min[b] = lo
          if (!(max[b]! >= hi)) max[b] = hi
        }
      }
    }
  }
}
