import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openStore, type Store } from './store.ts'
import { batchOf, copyOf, pumpAsset, tempDir } from './test-plant.ts'

const asset = pumpAsset()
const T0 = Date.UTC(2024, 5, 1)
let tmp: ReturnType<typeof tempDir>
let store: Store | null = null

beforeEach(() => {
  tmp = tempDir()
})
afterEach(async () => {
  await store?.close().catch(() => {})
  store = null
  tmp.remove()
})

const open = async () => (store = await openStore({ path: tmp.file('history.db'), assets: [asset] }))

/** Every table's rows, as text, to compare a file before and after. */
function dump(path: string): string {
  const db = new Database(path, { readonly: true })
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all()
  const out = (tables as string[]).map(
    (t) => `${t}: ${JSON.stringify(db.prepare(`SELECT * FROM "${t}"`).raw().all())}`,
  )
  db.close()
  return out.join('\n')
}

const rows = (n: number, t0: number, k = 2) => {
  const b = batchOf(asset.id, k, t0, n, 1000)
  return { t: b.t, values: b.values, quality: b.quality! }
}

describe('a staged import', () => {
  it('is invisible to queries until it commits, then reads back exactly', async () => {
    const s = await open()
    s.writeSamples(batchOf(asset.id, 3, T0 + 100_000_000, 100, 1000))
    const stage = await s.stageImport({
      assetId: asset.id,
      name: asset.name,
      class: 'pump',
      tags: [
        { id: 'Bearing_Temperature_C', unit: 'C' },
        { id: 'Motor_RPM', unit: 'rpm' },
      ],
    })
    const a = rows(10_000, T0)
    stage.write({
      t: a.t.slice(),
      values: a.values.map((v) => v.slice()),
      quality: a.quality.map((q) => q.slice()),
    })
    await s.flush()
    const before = await s.range({ assetId: asset.id, from: T0, to: T0 + 10_000_000, maxPoints: 100_000 })
    expect(before.t.length).toBe(0)

    await stage.commit()
    const after = await s.range({
      assetId: asset.id,
      tags: ['Bearing_Temperature_C', 'Motor_RPM', 'Vibration_mm_s'],
      from: T0,
      to: T0 + 10_000_000,
      maxPoints: 100_000,
    })
    expect(Array.from(after.t)).toEqual(Array.from(a.t))
    expect(Array.from(after.min[0]!)).toEqual(Array.from(a.values[0]!))
    expect(Array.from(after.min[1]!)).toEqual(Array.from(a.values[1]!))
    // A tag the file did not hold reads as missing, not as zeros.
    expect(after.quality[2]!.every((q) => q === 8)).toBe(true)
  })

  it('leaves every table exactly as it was when aborted', async () => {
    const s = await open()
    s.writeSamples(copyOf(batchOf(asset.id, 3, T0, 500, 1000)))
    await s.flush()
    const path = tmp.file('history.db')
    const snapshot = dump(path)
    const stage = await s.stageImport({
      assetId: 'imported-line-2',
      name: 'Line 2',
      class: 'other',
      tags: [
        { id: 'a', unit: '' },
        { id: 'b', unit: '' },
      ],
    })
    stage.write(rows(20_000, T0 - 50_000_000))
    await s.flush()
    expect(dump(path)).not.toBe(snapshot)
    await stage.abort()
    await s.flush()
    expect(dump(path)).toBe(snapshot)
  })

  it('creates a new asset with its tags when it commits, and the file describes it', async () => {
    const s = await open()
    const stage = await s.stageImport({
      assetId: 'line-2',
      name: 'Line 2',
      class: 'other',
      tags: [
        { id: 'flow', unit: 'L/min' },
        { id: 'temp', unit: 'C' },
      ],
    })
    stage.write(rows(5000, T0))
    expect(await s.storedAsset('line-2')).toBeNull()
    await stage.commit()
    const stored = await s.storedAsset('line-2')
    expect(stored).toMatchObject({
      name: 'Line 2',
      tags: [
        { id: 'flow', unit: 'L/min' },
        { id: 'temp', unit: 'C' },
      ],
      from: T0,
      to: T0 + 4_999_000,
      samples: 5000,
    })
    const r = await s.range({ assetId: 'line-2', from: T0, to: T0 + 5_000_000, maxPoints: 10_000 })
    expect(r.tags).toEqual(['flow', 'temp'])
    expect(r.t.length).toBe(5000)
  })

  it('joins the rollups after it commits, and decimated queries keep its extremes before and after', async () => {
    const s = await open()
    const stage = await s.stageImport({
      assetId: 'line-4',
      name: 'x',
      class: 'other',
      tags: [{ id: 'a', unit: '' }],
    })
    const a = rows(50_000, T0, 1)
    a.values[0]![31_337] = 1e6
    stage.write(a)
    await stage.commit()
    const query = () => s.range({ assetId: 'line-4', from: T0, to: T0 + 50_000_000, maxPoints: 200 })
    expect(Math.max(...(await query()).max[0]!.filter((x) => !Number.isNaN(x)))).toBe(1e6)
    const db = new Database(tmp.file('history.db'), { readonly: true })
    const unrolled = db.prepare('SELECT count(*) FROM time_blocks WHERE rolled IS NULL').pluck()
    for (let i = 0; i < 100 && (unrolled.get() as number) > 0; i++)
      await new Promise((r) => setTimeout(r, 50))
    expect(unrolled.get()).toBe(0)
    db.close()
    expect(Math.max(...(await query()).max[0]!.filter((x) => !Number.isNaN(x)))).toBe(1e6)
  })

  it('is dropped when the writer starts again after a crash left it', async () => {
    let s = await open()
    const stage = await s.stageImport({
      assetId: 'line-3',
      name: 'x',
      class: 'other',
      tags: [{ id: 'a', unit: '' }],
    })
    stage.write(rows(3000, T0, 1))
    await s.flush()
    await s.close()
    s = await open()
    expect(dump(tmp.file('history.db'))).not.toContain('~import:')
    expect(await s.storedAsset('line-3')).toBeNull()
  })
})
