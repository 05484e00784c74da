import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import type { SampleBatch } from '../../shared/samples.ts'
import { syncAssets } from './asset-sync.ts'
import { BlockWriter, newSlot } from './block-writer.ts'
import { migrate } from './migrations.ts'
import type { SamplesBlock } from './range-query.ts'
import { storeFileFixture } from './store-fixture.ts'
import { batchOf, copyOf, pumpAsset } from './test-plant.ts'

const asset = pumpAsset()
const T0 = Date.UTC(2025, 0, 1)
const DAY = 86_400_000
const fx = storeFileFixture([asset])
const open = () => fx.open()

/** 1 Hz samples from t0: a wave with noise, a spike and a dip per tag, and a few NaN. */
function wave(t0: number, n: number, seed: number): SampleBatch {
  return batchOf(asset.id, 3, t0, n, 1000, (k, i) => {
    const x = (i * 7919 + seed * 104729 + k * 31) % 1000
    if (x === 17) return 500 + k
    if (x === 911) return -500 - k
    if (x === 404) return NaN
    return 10 * k + Math.sin((i + seed) / 900) + x / 1e4
  })
}

/** Min/max per bucket of the answer's grid, over every written sample in [from, to). */
function expected(r: SamplesBlock, written: SampleBatch[], from: number, to: number, k: number) {
  const width = r.t[1]! - r.t[0]!
  const lo = new Float64Array(r.t.length).fill(NaN)
  const hi = new Float64Array(r.t.length).fill(NaN)
  for (const b of written)
    b.t.forEach((x, i) => {
      if (x < from || x >= to) return
      const j = Math.min(r.t.length - 1, Math.floor((x - r.t[0]!) / width))
      const v = b.values[k]![i]!
      if (v !== v) return
      if (!(lo[j]! <= v)) lo[j] = v
      if (!(hi[j]! >= v)) hi[j] = v
    })
  return [Array.from(lo), Array.from(hi)]
}

const extremes = (cols: Float64Array[], k: number, pick: (...xs: number[]) => number) =>
  pick(...cols[k]!.filter((x) => x === x))

function rawExtremes(written: SampleBatch[], k: number): [number, number] {
  let lo = Infinity
  let hi = -Infinity
  for (const b of written)
    for (const x of b.values[k]!)
      if (x === x) {
        lo = Math.min(lo, x)
        hi = Math.max(hi, x)
      }
  return [lo, hi]
}

describe('rollups', () => {
  it('keeps every spike and dip: the decimated series has the raw min and max, bucket by bucket', async () => {
    const s = await open()
    // Three days and a bit, in day-sized writes: sealed blocks in the rollups, the rest an open tail.
    const written = [wave(T0, 86_400, 1), wave(T0 + DAY, 86_400, 2), wave(T0 + 2 * DAY, 90_000, 3)]
    for (const b of written) s.writeSamples(copyOf(b))
    await s.flush()
    const from = T0 + 12_345.5
    const to = T0 + 3 * DAY + 3_000_777
    for (const maxPoints of [2000, 500, 40]) {
      const r = await s.range({ assetId: asset.id, from, to, maxPoints })
      expect(r.raw).toBe(false)
      expect(r.t.length).toBeLessThanOrEqual(maxPoints)
      for (let k = 0; k < 3; k++) {
        expect([Array.from(r.min[k]!), Array.from(r.max[k]!)]).toEqual(expected(r, written, from, to, k))
        const [lo, hi] = rawExtremes(written, k)
        expect(extremes(r.min, k, Math.min)).toBe(lo)
        expect(extremes(r.max, k, Math.max)).toBe(hi)
      }
    }
  })

  it('folds blocks written before rollups existed when the file is opened, then answers from them', async () => {
    const db = new Database(fx.path)
    migrate(db)
    const rows = syncAssets(db, [{ id: asset.id, name: asset.name, class: asset.class, tags: asset.tags }])
    const { assetRow, tagRows } = rows.get(asset.id)!
    const written = [wave(T0, 40_000, 5)]
    const slot = newSlot(assetRow, tagRows)
    const plain = new BlockWriter(db) // no RollupWriter: sealed blocks stay out of the rollups
    db.transaction(() => plain.append(slot, written[0]!.t, written[0]!.values, written[0]!.quality))()
    db.transaction(() => plain.commitTail(slot))()
    const unrolled = db
      .prepare('SELECT count(*) FROM time_blocks WHERE sealed = 1 AND rolled IS NULL')
      .pluck()
    expect(unrolled.get()).toBe(11) // hour-long blocks
    db.close()

    const s = await open()
    const check = new Database(fx.path, { readonly: true })
    const pending = () =>
      check.prepare('SELECT count(*) FROM time_blocks WHERE sealed = 1 AND rolled IS NULL').pluck().get()
    for (let i = 0; i < 100 && pending() !== 0; i++) await new Promise((r) => setTimeout(r, 50))
    expect(pending()).toBe(0)
    expect(check.prepare('SELECT count(DISTINCT level) FROM rollups').pluck().get()).toBe(11)
    check.close()
    const r = await s.range({ assetId: asset.id, from: T0, to: T0 + 40_000_000, maxPoints: 300 })
    for (let k = 0; k < 3; k++)
      expect([Array.from(r.min[k]!), Array.from(r.max[k]!)]).toEqual(
        expected(r, written, T0, T0 + 40_000_000, k),
      )
  })

  it('merges an older batch written beside live data (an import) into the rollup rows already there', async () => {
    const s = await open()
    const live = wave(T0 + DAY / 2, 50_000, 8)
    s.writeSamples(copyOf(live))
    await s.flush()
    // Overlaps the live data's first hours: the same rollup rows take both.
    const older = wave(T0, 60_000, 9)
    s.writeSamples(copyOf(older))
    await s.flush()
    const to = T0 + DAY / 2 + 50_000_000
    const r = await s.range({ assetId: asset.id, from: T0, to, maxPoints: 200 })
    for (let k = 0; k < 3; k++)
      expect([Array.from(r.min[k]!), Array.from(r.max[k]!)]).toEqual(expected(r, [live, older], T0, to, k))
  })
})
