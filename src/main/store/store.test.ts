import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { VigilError } from '../../shared/errors.ts'
import { Q } from '../../shared/quality.ts'
import { openStore, type Store } from './store.ts'
import { batchOf, copyOf, pumpAsset, tempDir } from './test-plant.ts'

const asset = pumpAsset()
const T0 = Date.UTC(2025, 0, 1)
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

const open = async (path = tmp.file('history.db')) => (store = await openStore({ path, assets: [asset] }))

describe('the history store', () => {
  it('returns exactly the values, times and quality written when the range holds fewer points than asked', async () => {
    const s = await open()
    const missing = (k: number, i: number) => k === 1 && i % 7 === 3
    const a = batchOf(
      asset.id,
      3,
      T0,
      500,
      1000,
      (k, i) => (missing(k, i) ? NaN : k * 10 + i / 3),
      (k, i) => (missing(k, i) ? Q.MISSING : i % 11 === 0 ? Q.OUT_OF_RANGE | Q.RATE : 0),
    )
    const b = batchOf(asset.id, 3, T0 + 500_000, 250, 1000, (k, i) => -k - i * 0.25)
    s.writeSamples(copyOf(a))
    s.writeSamples(copyOf(b))
    await s.flush()

    const r = await s.range({ assetId: asset.id, from: T0, to: T0 + 750_000, maxPoints: 1000 })
    expect(r.raw).toBe(true)
    expect(r.tags).toEqual(asset.tags.map((t) => t.id))
    expect(Array.from(r.t)).toEqual([...a.t, ...b.t])
    for (let k = 0; k < 3; k++) {
      expect(Array.from(r.min[k]!)).toEqual([...a.values[k]!, ...b.values[k]!])
      expect(Array.from(r.max[k]!)).toEqual(Array.from(r.min[k]!))
      expect(Array.from(r.quality[k]!)).toEqual([...a.quality![k]!, ...b.quality![k]!])
    }
    expect(Number.isNaN(r.min[1]![3])).toBe(true)
    expect(r.quality[1]![3]).toBe(Q.MISSING)
  })

  it('keeps a one-sample spike and dip through min/max decimation and leaves empty buckets as NaN', async () => {
    const s = await open()
    const n = 20_000
    const f = (k: number, i: number) => (i === 12_345 ? 1e4 : i === 3_210 ? -1e4 : k + Math.sin(i / 100))
    const first = batchOf(asset.id, 3, T0, n, 1000, f, (_k, i) => (i === 12_345 ? Q.RATE : 0))
    // Then two hours without data, then more.
    const later = batchOf(asset.id, 3, T0 + (n + 7200) * 1000, 2000, 1000)
    s.writeSamples(copyOf(first))
    s.writeSamples(copyOf(later))
    await s.flush()

    const from = T0
    const to = T0 + (n + 7200 + 2000) * 1000
    /** Min/max of the written samples in [from, to) per bucket of the answer's grid. */
    const expected = (t: Float64Array) => {
      const width = t.length > 1 ? t[1]! - t[0]! : to - from
      const lo = new Float64Array(t.length).fill(NaN)
      const hi = new Float64Array(t.length).fill(NaN)
      for (const b of [first, later]) {
        b.t.forEach((x, i) => {
          if (x < from || x >= to) return
          const j = Math.min(t.length - 1, Math.floor((x - t[0]!) / width))
          const v = b.values[1]![i]!
          if (!(lo[j]! <= v)) lo[j] = v
          if (!(hi[j]! >= v)) hi[j] = v
        })
      }
      return [Array.from(lo), Array.from(hi)]
    }
    const w = 100
    const r = await s.range({ assetId: asset.id, tags: ['Bearing_Temperature_C'], from, to, maxPoints: w })
    expect(r.raw).toBe(false)
    // Buckets aligned on a rollup level: at most w of them, and not many fewer.
    expect(r.t.length).toBeLessThanOrEqual(w)
    expect(r.t.length).toBeGreaterThan(w / 2)
    expect(r.t[0]).toBeLessThanOrEqual(from)
    expect([Array.from(r.min[0]!), Array.from(r.max[0]!)]).toEqual(expected(r.t))
    // Coarse buckets read hour rollups: the answer must still be exact.
    const coarse = await s.range({
      assetId: asset.id,
      tags: ['Bearing_Temperature_C'],
      from,
      to,
      maxPoints: 3,
    })
    expect(coarse.t.length).toBeLessThanOrEqual(3)
    expect([Array.from(coarse.min[0]!), Array.from(coarse.max[0]!)]).toEqual(expected(coarse.t))
    expect(Math.max(...r.max[0]!.filter((x) => x === x))).toBe(1e4)
    expect(Math.min(...r.min[0]!.filter((x) => x === x))).toBe(-1e4)
    const width = r.t[1]! - r.t[0]!
    const bucketOf = (x: number) => Math.floor((x - r.t[0]!) / width)
    expect(r.quality[0]![bucketOf(T0 + 12_345 * 1000)]).toBe(Q.RATE)
    expect(Number.isNaN(r.min[0]![bucketOf(T0 + (n + 3600) * 1000)])).toBe(true)
  })

  it('answers a span without samples with empty columns', async () => {
    const s = await open()
    s.writeSamples(batchOf(asset.id, 3, T0, 100, 1000))
    await s.flush()
    const r = await s.range({ assetId: asset.id, from: T0 - 86_400_000, to: T0 - 1000, maxPoints: 500 })
    expect(r.t.length).toBe(0)
    expect(r.min.map((c) => c.length)).toEqual([0, 0, 0])
    expect(r.max.map((c) => c.length)).toEqual([0, 0, 0])
  })

  it('names the unknown tag or asset it was asked for', async () => {
    const s = await open()
    const req = { from: T0, to: T0 + 1000, maxPoints: 10 }
    await expect(s.range({ ...req, assetId: asset.id, tags: ['Motor_RPM', 'Nope_Tag'] })).rejects.toThrow(
      /asset "P-101" has no tag "Nope_Tag"/,
    )
    const err = await s.range({ ...req, assetId: 'K-999' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(VigilError)
    expect((err as VigilError).code).toBe('not-found')
    expect((err as VigilError).message).toContain('"K-999"')
  })

  it('refuses a batch whose columns do not match the asset, naming it', async () => {
    const s = await open()
    const b = batchOf(asset.id, 2, T0, 10, 1000)
    expect(() => s.writeSamples(b)).toThrow(/asset "P-101" has 2 value columns; the asset has 3 tags/)
    const back = batchOf(asset.id, 3, T0, 10, 1000)
    back.t[5] = T0
    expect(() => s.writeSamples(back)).toThrow(/time 5 .* goes back in time/)
  })

  it('makes flushed data visible to another connection', async () => {
    const path = tmp.file('history.db')
    const s = await open(path)
    s.writeSamples(batchOf(asset.id, 3, T0, 1234, 1000))
    await s.flush()
    const other = new Database(path, { readonly: true })
    const stored = other.prepare('SELECT sum(n) FROM time_blocks').pluck().get()
    other.close()
    expect(stored).toBe(1234)
    expect(await s.stats()).toMatchObject({ samples: 1234, values: 3 * 1234, predictions: 0 })
  })

  it('reads back in time order an older batch written beside live data, as an import does', async () => {
    const s = await open()
    const live = batchOf(asset.id, 3, T0 + 100_000, 50, 1000, (k, i) => 1000 + i)
    const old = batchOf(asset.id, 3, T0, 30, 1000, (k, i) => i)
    s.writeSamples(copyOf(live))
    s.writeSamples(copyOf(old))
    await s.flush()
    const r = await s.range({ assetId: asset.id, from: T0, to: T0 + 200_000, maxPoints: 1000 })
    expect(Array.from(r.t)).toEqual([...old.t, ...live.t])
    expect(Array.from(r.min[2]!)).toEqual([...old.values[2]!, ...live.values[2]!])
  })
})
