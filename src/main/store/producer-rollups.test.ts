import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { BlockWriter } from './block-writer.ts'
import { ImportStages } from './import-stage.ts'
import { migrate } from './migrations.ts'
import { ProducerRollups } from './producer-rollups.ts'
import { batchOf } from './test-plant.ts'

const T0 = Date.UTC(2025, 2, 1, 0, 0, 7)
const TAGS = 3
const BATCH = 32_768

/**
 * 200,000 rows at `stepMs` (1 Hz: rollups start at 30 s; 10 Hz: at 1 s). Values are whole
 * numbers, so every sum is exact whatever order it is taken in, with a spike, a run of
 * missing values flagged missing, and a flagged stretch.
 */
function rows(stepMs: number) {
  const n = 200_000
  const b = batchOf(
    'x',
    TAGS,
    T0,
    n,
    stepMs,
    (k, i) => (i === 123_457 ? 1e9 : k === 2 && i % 7_000 < 40 ? NaN : ((i * 7 + k * 13) % 101) - 50),
    (k, i) => (k === 2 && i % 7_000 < 40 ? 8 : k === 1 && i % 50_000 < 20 ? 1 : 0),
  )
  return { t: b.t, values: b.values, quality: b.quality! }
}
type Rows = ReturnType<typeof rows>
const slice = (r: Rows, a: number, b: number) => ({
  t: r.t.subarray(a, b),
  values: r.values.map((v) => v.subarray(a, b)),
  quality: r.quality.map((q) => q.subarray(a, b)),
})

/**
 * Stages `r` as an import's producers would send it (ranges [0, cut) and [cut, end), batches
 * interleaved) and commits; returns the rollups and the blocks' `rolled` levels.
 * `fold`: how each producer folds (null: it sends rows only and the writer folds).
 */
function staged(r: Rows, cut: number, fold: (() => ProducerRollups) | null) {
  const db = new Database(':memory:')
  migrate(db)
  const stages = new ImportStages(db, new BlockWriter(db))
  const tags = Array.from({ length: TAGS }, (_, k) => ({ id: `s${k}`, unit: '' }))
  stages.begin({ stage: 's', assetId: 'a', name: 'a', class: 'other', tags })
  const ranges = [
    [0, cut],
    [cut, r.t.length],
  ].filter(([a, b]) => b! > a!) as [number, number][]
  const producers = ranges.map(() => fold?.() ?? null)
  const next = ranges.map(([a]) => a)
  const send = db.transaction((p: number, a: number, b: number, last: boolean) => {
    const batch = slice(r, a, b)
    const folded = producers[p]?.fold(batch.t, batch.values, batch.quality)
    stages.append('s', batch.t, batch.values, batch.quality, p, folded)
    const rest = last ? producers[p]?.rest() : undefined
    if (rest) stages.append('s', new Float64Array(0), [], [], p, rest)
  })
  while (ranges.some(([, end], p) => next[p]! < end))
    ranges.forEach(([, end], p) => {
      const a = next[p]!
      if (a >= end) return
      const b = Math.min(end, a + BATCH)
      send(p, a, b, b === end)
      next[p] = b
    })
  stages.end('s', true)
  const out = {
    rollups: db.prepare('SELECT tag_id, level, t0, i0, n, mm, agg FROM rollups ORDER BY 1, 2, 3').raw().all(),
    rolled: db.prepare('SELECT t0, n, rolled FROM time_blocks ORDER BY t0').raw().all(),
  }
  db.close()
  return out
}

describe('rollups folded on an import thread (ProducerRollups)', () => {
  for (const stepMs of [1000, 100]) {
    it(`store what the writer's own folding stores, byte for byte (${1000 / stepMs} Hz)`, () => {
      const r = rows(stepMs)
      const writer = staged(r, r.t.length, null)
      expect(writer.rollups.length).toBeGreaterThan(20)
      expect(writer.rolled.every((b) => (b as unknown[])[2] !== null)).toBe(true)
      expect(staged(r, r.t.length, () => new ProducerRollups())).toEqual(writer)
    })
  }

  it('from two ranges meeting inside a row, merge into what one producer writes', () => {
    const r = rows(1000)
    // 100,003 s in: mid-interval on every level, so the rows both ranges reach are merged.
    const one = staged(r, r.t.length, () => new ProducerRollups())
    const two = staged(r, 100_003, () => new ProducerRollups())
    expect(two.rollups).toEqual(one.rollups)
    // The blocks differ where the ranges meet; each is marked at the level it was folded from.
    expect(two.rolled.length).toBe(one.rolled.length + 1)
  })

  it('ship rows early when more are open than they keep, and the rollups come out the same', () => {
    const r = rows(100)
    const kept = staged(r, 90_001, () => new ProducerRollups())
    expect(staged(r, 90_001, () => new ProducerRollups(4))).toEqual(kept)
  })

  it('are not stored for tags that already have history: their blocks join the rollups after the commit', () => {
    const db = new Database(':memory:')
    migrate(db)
    const stages = new ImportStages(db, new BlockWriter(db))
    const tags = [{ id: 's0', unit: '' }]
    // A first import makes the asset and its tag; a second one into the same tag cannot fold as it stages.
    for (const stage of ['first', 'second']) {
      stages.begin({ stage, assetId: 'a', name: 'a', class: 'other', tags })
      const b = slice(rows(1000), stage === 'first' ? 0 : 100_000, stage === 'first' ? 100_000 : 130_000)
      const p = new ProducerRollups()
      const folded = p.fold(b.t, [b.values[0]!], [b.quality[0]!])
      db.transaction(() => {
        stages.append(stage, b.t, [b.values[0]!], [b.quality[0]!], 0, folded)
        stages.append(stage, new Float64Array(0), [], [], 0, p.rest())
      })()
      stages.end(stage, true)
    }
    const unrolled = db.prepare('SELECT sum(n) FROM time_blocks WHERE rolled IS NULL').pluck().get()
    expect(unrolled).toBe(30_000)
    db.close()
  })
})
