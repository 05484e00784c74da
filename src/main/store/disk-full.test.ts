import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openStore, type Store } from './store.ts'
import { batchOf, pumpAsset, tempDir } from './test-plant.ts'

const asset = pumpAsset()
const T0 = Date.UTC(2025, 0, 1)
const N = 10_000
let tmp: ReturnType<typeof tempDir>
let path: string
const opened: Store[] = []

beforeEach(() => {
  tmp = tempDir()
  path = tmp.file('history.db')
})
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close().catch(() => {})
  tmp.remove()
})

async function until(cond: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 20))
  }
}

const batch = (i: number) => batchOf(asset.id, 3, T0 + i * N * 1000, N, 1000)
const stored = async (s: Store) => (await s.history()).samples

describe('a full disk', () => {
  it('reports the store unavailable with the reason, keeps batches waiting, and commits them all once space returns', async () => {
    // SQLite's max_page_count stands in for a small filesystem: the same SQLITE_FULL.
    const s = await openStore({ path, assets: [asset], maxBytes: 2 * 2 ** 20 })
    opened.push(s)
    let written = 0
    while (s.status().state === 'ok' && written < 200) {
      s.writeSamples(batch(written++))
      await s.flush().catch(() => {})
    }
    const full = s.status()
    expect(full.state).toBe('unavailable')
    expect(full.message).toMatch(
      new RegExp(`history store ${path} is full \\(size cap 2097152 bytes\\).*database or disk is full`),
    )
    await expect(s.flush()).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(/is full/),
    })

    // Still readable, still taking batches (they wait in memory), and no crash.
    const before = await stored(s)
    expect(before).toBeLessThan(written * N)
    for (let i = 0; i < 5; i++) s.writeSamples(batch(written++))
    await new Promise((r) => setTimeout(r, 1500))
    expect(s.status()).toMatchObject({ state: 'unavailable', backlog: expect.any(Number) })
    expect(s.status().backlog).toBeGreaterThan(5 * N * 3)
    expect(await stored(s)).toBe(before)
    const r = await s.range({ assetId: asset.id, from: T0, to: T0 + 1e12, maxPoints: 100 })
    expect(r.t.length).toBeGreaterThan(0)

    await s.setMaxBytes(null)
    await until(() => s.status().state === 'ok')
    await s.flush()
    expect(await stored(s)).toBe(written * N)
    const check = new Database(path, { readonly: true })
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok')
    check.close()
  })

  it('resumes when retention frees room under the cap', async () => {
    const s = await openStore({ path, assets: [asset], maxBytes: 2 * 2 ** 20 })
    opened.push(s)
    let written = 0
    while (s.status().state === 'ok' && written < 200) {
      s.writeSamples(batch(written++))
      await s.flush().catch(() => {})
    }
    expect(s.status().state).toBe('unavailable')
    // Keep only the last few hours of raw data: the freed pages take the waiting batches.
    await s.retain({ rawDays: 0.1 })
    await until(() => s.status().state === 'ok')
    await s.flush()
    const h = await s.history()
    expect(h.assets[0]!.to).toBe(T0 + (written * N - 1) * 1000)
  })
})
