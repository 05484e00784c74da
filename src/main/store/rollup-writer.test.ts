import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrate } from './migrations.ts'
import { finestLevel } from './rollup-levels.ts'
import { RollupWriter } from './rollup-writer.ts'

const T0 = Date.UTC(2025, 0, 1)
const TAGS = 60

/** Folds two transactions of 10 Hz samples of TAGS tags, the second overlapping the first's rows. */
function fold(maxCachedRows?: number): unknown[] {
  const db = new Database(':memory:')
  db.pragma('foreign_keys = OFF') // the writer alone: no assets or tags rows needed
  migrate(db)
  const w = new RollupWriter(db, maxCachedRows === undefined ? {} : { maxCachedRows })
  for (const [start, n] of [
    [0, 4096],
    [4096, 3000],
  ] as const) {
    const times = Float64Array.from({ length: n }, (_, i) => T0 + (start + i) * 100)
    db.transaction(() => {
      for (let tag = 1; tag <= TAGS; tag++) {
        const v = Float64Array.from({ length: n }, (_, i) =>
          (start + i) % 997 === tag ? 1e6 : tag + Math.sin((start + i) / (50 + tag)),
        )
        const q = Uint8Array.from({ length: n }, (_, i) => ((start + i) % 1300 === 0 ? 8 : 0))
        w.foldTag(tag, times, v, q, 0, n, finestLevel(times, 0, n))
      }
      w.flush()
    })()
  }
  return db
    .prepare('SELECT tag_id, level, t0, i0, n, mm, agg FROM rollups ORDER BY tag_id, level, t0')
    .raw()
    .all()
}

describe('RollupWriter', () => {
  it('writes the same rollups when a transaction touches more rows than it caches', () => {
    const whole = fold()
    const capped = fold(4)
    // 60 tags x every level is far past 4 rows: the capped writer wrote early and read back.
    expect(whole.length).toBeGreaterThan(TAGS * 8)
    expect(capped).toEqual(whole)
  })
})
