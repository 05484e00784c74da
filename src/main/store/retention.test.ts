import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { storeFileFixture } from './store-fixture.ts'
import { batchOf, pumpAsset } from './test-plant.ts'

const asset = pumpAsset()
const T0 = Date.UTC(2025, 0, 1)
const DAY = 86_400_000
const fx = storeFileFixture([asset])
const open = () => fx.open()

/** A day of 1 Hz samples; the day's spike on Bearing_Temperature_C is 1000 + day. */
const day = (d: number) =>
  batchOf(asset.id, 3, T0 + d * DAY, 86_400, 1000, (k, i) =>
    k === 1 && i === 40_000 ? 1000 + d : k + Math.sin(i / 500),
  )

describe('retention', () => {
  it('drops raw blocks past rawDays and rollups past rollupDays while batches keep committing', async () => {
    const s = await open()
    for (let d = 0; d < 10; d++) s.writeSamples(day(d))
    await s.flush()
    const before = await s.history()
    expect(before.samples).toBe(864_000)

    // Batches written while the pass runs must all commit.
    const pass = s.retain({ rawDays: 3, rollupDays: 6 })
    for (let i = 0; i < 20; i++) s.writeSamples(batchOf(asset.id, 3, T0 + 10 * DAY + i * 100_000, 100, 1000))
    const result = await pass
    await s.flush()
    expect(result.blocks).toBeGreaterThan(150)
    expect(result.rollups).toBeGreaterThan(0)

    const db = new Database(fx.path, { readonly: true })
    const newest = db.prepare('SELECT max(t0) FROM time_blocks').pluck().get() as number
    const rawCutoff = T0 + 10 * DAY - 1000 - 3 * DAY // newest block start before the 20 late batches
    const oldestRaw = db.prepare('SELECT min(t1) FROM time_blocks').pluck().get() as number
    expect(oldestRaw).toBeGreaterThanOrEqual(rawCutoff - 3_600_000)
    expect(newest).toBeGreaterThan(T0 + 10 * DAY)
    const fine = db
      .prepare('SELECT min(t0 + level * 1024) FROM rollups WHERE level < 60000')
      .pluck()
      .get() as number
    expect(fine).toBeGreaterThan(rawCutoff - 3_600_000)
    db.close()

    const after = await s.history()
    expect(after.assets[0]!.rawHorizon).toBeGreaterThan(T0 + 6 * DAY)
    expect(after.rows.time_blocks).toBeLessThan(before.rows.time_blocks!)
    expect(after.retention).toEqual({ rawDays: 3, rollupDays: 6 })
    expect(after.freePages).toBeGreaterThan(0)
    // The late batches are all there, next to what remains.
    const late = await s.range({ assetId: asset.id, from: T0 + 10 * DAY, to: T0 + 11 * DAY, maxPoints: 5000 })
    expect(late.raw).toBe(true)
    expect(late.t.length).toBe(2000)

    // Day 5's spike is older than the raw data but younger than rollupDays: the rollups keep it.
    const all = await s.range({ assetId: asset.id, from: T0, to: T0 + 11 * DAY, maxPoints: 500 })
    expect(all.raw).toBe(false)
    const spikes = all.max[1]!.filter((x) => x > 999)
    expect(spikes).toContain(1005)
    expect(spikes).toContain(1009)
    // A range wholly before the horizon is decimated from minute rollups, never raw.
    const old = await s.range({
      assetId: asset.id,
      from: T0 + 5 * DAY,
      to: T0 + 5 * DAY + 600_000,
      maxPoints: 1000,
    })
    expect(old.raw).toBe(false)
    expect(old.t[1]! - old.t[0]!).toBeGreaterThanOrEqual(120_000)
  })

  it('reports the file, its tables and what each asset holds', async () => {
    const s = await open()
    s.writeSamples(batchOf(asset.id, 3, T0, 10_000, 1000))
    await s.flush()
    const h = await s.history()
    expect(h.path).toBe(fx.path)
    expect(h.bytes).toBeGreaterThan(h.pageSize)
    expect(h.samples).toBe(10_000)
    expect(h.values).toBe(30_000)
    expect(h.rows).toMatchObject({ assets: 1, tags: 3, prediction_logs: 0, events: 0 })
    expect(h.rows.rollups).toBeGreaterThan(0)
    expect(h.assets).toEqual([
      { assetId: asset.id, from: T0, to: T0 + 9_999_000, samples: 10_000, rawHorizon: null },
    ])
    expect(h.status.state).toBe('ok')
    expect(h.maxBytes).toBeNull()
  })
})
