import Database from 'better-sqlite3'
import { MessageChannel } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { buffersOf } from './batch-checks.ts'
import type { ImportStage } from './import-stage-link.ts'
import type { Store } from './store.ts'
import { storeFileFixture } from './store-fixture.ts'
import { batchOf, pumpAsset } from './test-plant.ts'
import type { StagePortBatch, StagePortReply } from './writer-protocol.ts'

const asset = pumpAsset()
const T0 = Date.UTC(2024, 5, 1)
const fx = storeFileFixture([asset])
/** The store opened last: rebuilt() closes it to rewrite the file beneath it. */
let store: Store | null = null

const path = () => fx.path
const open = async (opts?: { maxBytes?: number }) => (store = await fx.open(opts))

/** `batches` batches of `n` rows at `stepMs` from t0 (two tags, a spike, a run of missing values). */
function rows(batches: number, n: number, t0: number, stepMs: number) {
  return Array.from({ length: batches }, (_, b) => {
    const x = batchOf(
      'x',
      2,
      t0 + b * n * stepMs,
      n,
      stepMs,
      (k, i) =>
        b === 1 && i === 777 ? 1e6 : k === 1 && i % 5000 < 30 ? NaN : 10 * k + Math.sin((b * n + i) / 40),
      (k, i) => (k === 1 && i % 5000 < 30 ? 8 : 0),
    )
    return { t: x.t, values: x.values, quality: x.quality! }
  })
}

/** Posts the batches on a port attached to the stage, as the import's parsing thread does; resolves on the last ack. */
async function viaPort(stage: ImportStage, batches: ReturnType<typeof rows>): Promise<number> {
  const { port1, port2 } = new MessageChannel()
  stage.attach(port1)
  let acks = 0
  const acked = new Promise<void>((resolve, reject) =>
    port2.on('message', (m: StagePortReply) => {
      if (m.type === 'error') return reject(new Error(m.message))
      if (++acks === batches.length) resolve()
    }),
  )
  for (const b of batches) {
    const m: StagePortBatch = { type: 'batch', ...b }
    port2.postMessage(m, buffersOf([b.t, ...b.values, ...b.quality]))
  }
  await acked
  port2.close()
  return acks
}

/** The asset's rollup rows, exactly as stored. */
function rollupRows(assetId: string): unknown[] {
  const db = new Database(path(), { readonly: true })
  try {
    return db
      .prepare(
        `SELECT g.tag, r.level, r.t0, r.i0, r.n, hex(r.mm), hex(r.agg) FROM rollups r
         JOIN tags g ON g.id = r.tag_id JOIN assets a ON a.id = g.asset_id
         WHERE a.asset = ? ORDER BY g.tag, r.level, r.t0`,
      )
      .raw()
      .all(assetId)
  } finally {
    db.close()
  }
}

const unrolled = (assetId: string) => {
  const db = new Database(path(), { readonly: true })
  try {
    return db
      .prepare(
        'SELECT count(*) FROM time_blocks b JOIN assets a ON a.id = b.asset_id WHERE a.asset = ? AND b.rolled IS NULL',
      )
      .pluck()
      .get(assetId) as number
  } finally {
    db.close()
  }
}

/** Throws the asset's rollups away and lets the writer rebuild them from its blocks (the backfill), as from a file from before rollups. */
async function rebuilt(assetId: string): Promise<unknown[]> {
  await store!.close()
  const db = new Database(path())
  db.prepare(
    'DELETE FROM rollups WHERE tag_id IN (SELECT g.id FROM tags g JOIN assets a ON a.id = g.asset_id WHERE a.asset = ?)',
  ).run(assetId)
  db.prepare(
    'UPDATE time_blocks SET rolled = NULL WHERE asset_id = (SELECT id FROM assets WHERE asset = ?)',
  ).run(assetId)
  db.close()
  await open()
  for (let i = 0; i < 400 && unrolled(assetId) > 0; i++) await new Promise((r) => setTimeout(r, 25))
  expect(unrolled(assetId)).toBe(0)
  return rollupRows(assetId)
}

describe("a new asset's import", () => {
  it('is rolled up as it is staged: nothing is left for after the commit, and the rows are those its blocks give', async () => {
    const s = await open()
    const stage = await s.stageImport({
      assetId: 'line-9',
      name: 'Line 9',
      class: 'other',
      tags: [
        { id: 'a', unit: '' },
        { id: 'b', unit: '' },
      ],
    })
    expect(await viaPort(stage, rows(3, 40_000, T0, 1000))).toBe(3)
    // Staged rollup rows belong to the stage's own tags: no query of any asset reads them yet.
    expect(rollupRows('line-9')).toEqual([])
    await stage.commit()
    expect(unrolled('line-9')).toBe(0)
    const staged = rollupRows('line-9')
    expect(staged.length).toBeGreaterThan(20)
    const r = await s.range({ assetId: 'line-9', from: T0, to: T0 + 120_000_000, maxPoints: 300 })
    expect(Math.max(...r.max[0]!.filter((x) => x === x))).toBe(1e6)
    expect(await rebuilt('line-9')).toEqual(staged)
  })

  it('is rolled up alike when two producers stage the two halves of its rows at once', async () => {
    const s = await open()
    const stage = await s.stageImport({
      assetId: 'line-2',
      name: 'Line 2',
      class: 'other',
      tags: [
        { id: 'a', unit: '' },
        { id: 'b', unit: '' },
      ],
    })
    // Halves as an import's two parsing threads send them: each ascending, the two interleaved,
    // sharing the rollup rows around the cut and every coarse one.
    const all = rows(4, 30_000, T0, 1000)
    await Promise.all([viaPort(stage, all.slice(0, 2)), viaPort(stage, all.slice(2))])
    await stage.commit()
    expect(unrolled('line-2')).toBe(0)
    const staged = rollupRows('line-2') as unknown[][]
    const again = (await rebuilt('line-2')) as unknown[][]
    // Min, max, quality and counts exactly; sums were added in another order, so to the last bits.
    expect(staged.map((r) => r.slice(0, 6))).toEqual(again.map((r) => r.slice(0, 6)))
    const agg = (r: unknown[]) => {
      const b = Buffer.from(r[6] as string, 'hex')
      const n = r[4] as number
      return {
        sum: Array.from(new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + 8 * n))),
        cnt: b.subarray(8 * n).toString('hex'),
      }
    }
    staged.forEach((r, i) => {
      const [x, y] = [agg(r), agg(again[i]!)]
      expect(x.cnt).toBe(y.cnt)
      x.sum.forEach((v, j) => expect(v).toBeCloseTo(y.sum[j]!, 6))
    })
  })

  it('keeps its rollups through a retention pass while it is staged', async () => {
    const s = await open()
    const stage = await s.stageImport({
      assetId: 'line-7',
      name: 'Line 7',
      class: 'other',
      tags: [
        { id: 'a', unit: '' },
        { id: 'b', unit: '' },
      ],
    })
    // Two days at 1 Hz: with raw data kept one day, the finer rollups of the first would go.
    await viaPort(stage, rows(4, 43_200, T0, 1000))
    const result = await s.retain({ rawDays: 1 })
    expect(result.rollups).toBe(0)
    await stage.commit()
    expect(rollupRows('line-7')).toEqual(await rebuilt('line-7'))
  })

  it('is rolled up after its commit instead when a full disk rolled one of its transactions back', async () => {
    // SQLite's max_page_count stands in for a small filesystem, as in disk-full.test.ts.
    const s = await open({ maxBytes: 3 * 2 ** 20 })
    const stage = await s.stageImport({
      assetId: 'line-3',
      name: 'Line 3',
      class: 'other',
      tags: [
        { id: 'a', unit: '' },
        { id: 'b', unit: '' },
      ],
    })
    let failed = 0
    for (const b of rows(6, 40_000, T0, 1000)) {
      stage.write(b)
      await s.flush().catch(() => failed++)
    }
    // Some transactions held folded rollups, then one failed: what the stage folded is unsure.
    expect(failed).toBeGreaterThan(0)
    await s.setMaxBytes(null)
    await s.flush()
    await stage.commit()
    expect((await s.storedAsset('line-3'))?.samples).toBe(240_000)
    for (let i = 0; i < 400 && unrolled('line-3') > 0; i++) await new Promise((r) => setTimeout(r, 25))
    expect(unrolled('line-3')).toBe(0)
    expect(rollupRows('line-3')).toEqual(await rebuilt('line-3'))
  })

  it('tells the producer on its port when the stage has ended, so it stops instead of waiting for acks', async () => {
    const s = await open()
    const stage = await s.stageImport({
      assetId: 'line-5',
      name: 'x',
      class: 'other',
      tags: [{ id: 'a', unit: '' }],
    })
    const { port1, port2 } = new MessageChannel()
    stage.attach(port1)
    const closed = new Promise<void>((resolve) => port2.on('close', resolve))
    port2.on('message', () => {})
    await stage.abort()
    await closed
    expect(await s.storedAsset('line-5')).toBeNull()
  })
})
