import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { syncAssets } from './asset-sync.ts'
import { migrate, schemaVersion } from './migrations.ts'
import { SCHEMA_VERSION } from './schema.ts'
import { openStore } from './store.ts'
import { batchOf, pumpAsset, tempDir } from './test-plant.ts'

const asset = pumpAsset()
const T0 = Date.UTC(2025, 0, 1)
let tmp: ReturnType<typeof tempDir>

beforeEach(() => {
  tmp = tempDir()
})
afterEach(() => tmp.remove())

describe('history file migrations', () => {
  it('upgrades a version 1 file on open and keeps its samples readable', async () => {
    const path = tmp.file('v1.db')
    const old = new Database(path)
    expect(migrate(old, { target: 1 })).toBe(1)
    const rows = syncAssets(old, [{ id: asset.id, name: asset.name, class: asset.class, tags: asset.tags }])
    const { assetRow, tagRows } = rows.get(asset.id)!
    const written = batchOf(asset.id, 3, T0, 300, 1000)
    // An open block as the v1 writer left it: evenly spaced times, one value blob per tag.
    const id = old
      .prepare(
        'INSERT INTO time_blocks (asset_id, t0, t1, n, dt, t, sealed) VALUES (?, ?, ?, 300, 1000, NULL, 0)',
      )
      .run(assetRow, T0, T0 + 299_000).lastInsertRowid
    tagRows.forEach((tag, k) => {
      const v = written.values[k]!
      old
        .prepare(
          'INSERT INTO value_blocks (block_id, tag_id, nvalid, vmin, vmax, vsum, qor, v, q) VALUES (?, ?, 300, ?, ?, 0, 0, ?, NULL)',
        )
        .run(id, tag, Math.min(...v), Math.max(...v), Buffer.from(v.buffer))
    })
    expect(
      old.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'prediction_logs'").pluck().get(),
    ).toBe(0)
    old.close()

    const store = await openStore({ path, assets: [asset] })
    try {
      const r = await store.range({ assetId: asset.id, from: T0, to: T0 + 300_000, maxPoints: 1000 })
      expect(Array.from(r.t)).toEqual(Array.from(written.t))
      expect(Array.from(r.min[1]!)).toEqual(Array.from(written.values[1]!))
      store.writeScores({
        assetId: asset.id,
        modelId: 'pump-ae',
        modelVersion: '1',
        tags: ['Motor_RPM'],
        threshold: 1,
        t: Float64Array.of(T0),
        score: Float64Array.of(2),
        anomaly: Uint8Array.of(1),
        contrib: Float64Array.of(1),
        sensorState: Uint8Array.of(1),
        latencyMs: 3,
      })
      await store.flush()
      expect((await store.stats()).predictions).toBe(1)
    } finally {
      await store.close()
    }
    const check = new Database(path, { readonly: true })
    expect(schemaVersion(check)).toBe(SCHEMA_VERSION)
    check.close()
  })

  it('applies each migration in its own transaction, so a failing one leaves the last good version', () => {
    const db = new Database(tmp.file('m.db'))
    const migrations = [
      { version: 1, name: 'one', sql: 'CREATE TABLE a (x)' },
      { version: 2, name: 'two', sql: 'CREATE TABLE b (x); CREATE TABLE broken (' },
    ]
    expect(() => migrate(db, { migrations, file: 'm.db' })).toThrow(/m.db: migration 2 \(two\) failed/)
    expect(schemaVersion(db)).toBe(1)
    expect(
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('a', 'b')").pluck().all(),
    ).toEqual(['a'])
    db.close()
  })

  it('refuses a file written by a newer Vigil', async () => {
    const path = tmp.file('future.db')
    const db = new Database(path)
    migrate(db)
    db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)').run(
      SCHEMA_VERSION + 1,
      'future',
      0,
    )
    db.close()
    await expect(openStore({ path, assets: [asset] })).rejects.toThrow(
      /future.db: history file has schema version \d+, newer/,
    )
  })
})
