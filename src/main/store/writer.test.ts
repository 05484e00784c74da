import Database from 'better-sqlite3'
import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { VigilError } from '../../shared/errors.ts'
import { BLOCK_SAMPLES } from './schema.ts'
import { openStore, type Store } from './store.ts'
import { storeFileFixture } from './store-fixture.ts'
import { batchOf, pumpAsset } from './test-plant.ts'

const asset = pumpAsset()
const T0 = Date.UTC(2025, 0, 1)
const fx = storeFileFixture([asset])
const open = () => fx.open()

function blockRows(): { sealed: number; open: number } {
  const db = new Database(fx.path, { readonly: true })
  const [sealed, open] = db
    .prepare('SELECT sum(sealed = 1), sum(sealed = 0) FROM time_blocks')
    .raw()
    .get() as number[]
  db.close()
  return { sealed: sealed ?? 0, open: open ?? 0 }
}

/** Writes samples [start, start + n) a few at a time, committing after each, as a live source does. */
async function trickle(s: Store, start: number, n: number, perBatch = 5, stepMs = 1000): Promise<void> {
  for (let i = start; i < start + n; i += perBatch) {
    const m = Math.min(perBatch, start + n - i)
    s.writeSamples(batchOf(asset.id, 3, T0 + i * stepMs, m, stepMs, (k, j) => k + (i + j)))
    await s.flush()
  }
}

describe('the history writer', () => {
  it('keeps live data written a few samples per commit in a handful of rows, then one sealed block', async () => {
    const s = await open()
    // 10 Hz, so the block fills by its sample count before its hour is up.
    await trickle(s, 0, 1000, 8, 100)
    const partial = blockRows()
    expect(partial.sealed).toBe(0)
    expect(partial.open).toBeLessThanOrEqual(Math.ceil(Math.log2(1000 / 8)) + 1)
    await trickle(s, 1000, BLOCK_SAMPLES - 1000 + 8, 8, 100)
    expect(blockRows()).toEqual({ sealed: 1, open: 1 })
    const r = await s.range({ assetId: asset.id, from: T0, to: T0 + 1e9, maxPoints: 10_000 })
    expect(r.t.length).toBe(BLOCK_SAMPLES + 8)
    expect(Array.from(r.min[2]!)).toEqual(Array.from(r.t, (_, i) => 2 + i))
  })

  it('continues the open block a previous run left behind', async () => {
    const first = await open()
    await trickle(first, 0, 300, 100)
    await first.close()
    const second = await open()
    await trickle(second, 300, 300, 100)
    const r = await second.range({ assetId: asset.id, from: T0, to: T0 + 1e9, maxPoints: 10_000 })
    expect(Array.from(r.min[0]!)).toEqual(Array.from({ length: 600 }, (_, i) => i))
    expect(blockRows().open).toBeLessThanOrEqual(2)
  })

  it('leaves a closed file whole and openable by another connection', async () => {
    const s = await open()
    s.writeSamples(batchOf(asset.id, 3, T0, 5000, 1000))
    await s.close()
    expect(existsSync(`${fx.path}-wal`)).toBe(false)
    const db = new Database(fx.path)
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(db.prepare('SELECT sum(n) FROM time_blocks').pluck().get()).toBe(5000)
    db.exec('BEGIN IMMEDIATE; COMMIT')
    db.close()
    expect(() => s.writeSamples(batchOf(asset.id, 3, T0, 1, 1000))).toThrow(/closed/)
  })

  it('reports a writer that died on the next call instead of waiting', async () => {
    const s = await open()
    s.writeSamples(batchOf(asset.id, 3, T0, 10, 1000))
    await s.flush()
    // Another program breaks the file under the writer: its next commit fails.
    const vandal = new Database(fx.path)
    vandal.exec('DROP TABLE value_blocks')
    vandal.close()
    s.writeSamples(batchOf(asset.id, 3, T0 + 10_000, 10, 1000))
    const err = await s.flush().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(VigilError)
    expect((err as VigilError).code).toBe('unavailable')
    expect((err as VigilError).message).toMatch(/writer stopped: .*value_blocks/)
    expect(() => s.writeSamples(batchOf(asset.id, 3, T0 + 20_000, 10, 1000))).toThrow(/writer stopped/)
    await expect(s.stats()).rejects.toThrow(/writer stopped/)
  })

  it('refuses to open a file it cannot create, saying which', async () => {
    const bad = fx.tmp.file('no/such/dir/history.db')
    await expect(openStore({ path: bad, assets: [asset] })).rejects.toThrow(/could not be opened/)
  })
})
