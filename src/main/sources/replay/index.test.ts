import { truncateSync, unlinkSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AssetConfig } from '../../../shared/plant.ts'
import { ReplaySource } from '../../../shared/replay-config.ts'
import type { SampleBatch, SourceStatus } from '../../../shared/samples.ts'
import { scratch, sensorCsv } from '../../import/test-files.ts'
import { openStore, type Store } from '../../store/store.ts'
import type { SourceContext, SourceHandle } from '../source.ts'
import { replay } from './index.ts'

const T0 = Date.UTC(2023, 5, 1)
const asset = AssetConfig.parse({
  id: 'R-1',
  name: 'replayed line',
  class: 'other',
  tags: ['s0', 's1', 's2'].map((id) => ({ id, unit: '', min: -1e9, max: 1e9 })),
  source: { kind: 'replay', file: 'x.csv' },
})

let tmp: ReturnType<typeof scratch>
let handle: SourceHandle | null = null
let store: Store | null = null
beforeEach(() => {
  tmp = scratch('vigil-replay-')
})
afterEach(async () => {
  await handle?.stop()
  handle = null
  await store?.close()
  store = null
  tmp.remove()
})

/** Starts a replay and collects what it sends, as the engine would receive it. */
async function play(cfg: Record<string, unknown>, ctx?: SourceContext) {
  const batches: SampleBatch[] = []
  const statuses: Omit<SourceStatus, 'assetId' | 'kind' | 'at'>[] = []
  handle = await replay.start(
    ReplaySource.parse({ kind: 'replay', tickMs: 20, ...cfg }),
    asset,
    {
      batch: (b) => batches.push(b),
      status: (s) => statuses.push(s),
    },
    ctx,
  )
  const rows = () => batches.reduce((n, b) => n + b.t.length, 0)
  const until = async (ok: () => boolean, ms = 10_000) => {
    const end = Date.now() + ms
    while (!ok()) {
      if (Date.now() > end) throw new Error(`timed out with ${rows()} rows`)
      await new Promise((r) => setTimeout(r, 10))
    }
  }
  const column = (k: number) => batches.flatMap((b) => Array.from(b.values[k]!))
  const times = () => batches.flatMap((b) => Array.from(b.t))
  return { batches, statuses, rows, until, column, times }
}

const fileValues = (text: string, k: number) =>
  text
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => Number(l.split(',')[k + 1]))

describe('the replay source', () => {
  it('plays a CSV file as live: every row once, in order, stamped near now and spaced by the speed', async () => {
    const text = sensorCsv(2000, 3, T0)
    const startedAt = Date.now()
    const r = await play({ file: tmp.file('log.csv', text), speed: 1000, loop: false })
    await r.until(() => r.rows() >= 2000)
    expect(r.column(1)).toEqual(fileValues(text, 1))
    const t = r.times()
    expect(t[0]).toBeGreaterThanOrEqual(startedAt)
    for (let i = 1; i < t.length; i++) expect(t[i]! - t[i - 1]!).toBeCloseTo(1, 6)
    expect(t[t.length - 1]!).toBeLessThanOrEqual(Date.now())
    await r.until(() => r.statuses.some((s) => s.message?.includes('reached the end')))
    expect(handle!.replay!.state()).toMatchObject({
      playing: false,
      rows: 2000,
      from: T0,
      to: T0 + 1_999_000,
    })
  })

  it('pauses, seeks and plays again from the new position', async () => {
    const text = sensorCsv(100_000, 3, T0)
    const r = await play({ file: tmp.file('long.csv', text), speed: 100, paused: true })
    await new Promise((res) => setTimeout(res, 100))
    expect(r.rows()).toBe(0)
    handle!.replay!.seek(T0 + 50_000_000)
    handle!.replay!.play()
    await r.until(() => r.rows() >= 20)
    expect(r.column(0).slice(0, 20)).toEqual(fileValues(text, 0).slice(50_000, 50_020))
    const paused = handle!.replay!.pause()
    // Every row before the paused position still arrives (a read under way, or a window due
    // before the pause), however long that takes on a loaded machine; nothing after it does.
    const n = Math.ceil((paused.position - T0) / 1000) - 50_000
    await r.until(() => r.rows() >= n)
    await new Promise((res) => setTimeout(res, 100))
    expect(r.rows()).toBe(n)
    expect(r.column(0)).toEqual(fileValues(text, 0).slice(50_000, 50_000 + n))
    // Back to the start: the file is read again from the top.
    handle!.replay!.seek(T0)
    handle!.replay!.play()
    await r.until(() => r.rows() >= n + 10)
    expect(r.column(0).slice(n, n + 10)).toEqual(fileValues(text, 0).slice(0, 10))
  })

  it('loops to the start at the end, keeping times ascending', async () => {
    const text = sensorCsv(50, 3, T0)
    const r = await play({ file: tmp.file('short.csv', text), speed: 1000 })
    await r.until(() => r.rows() >= 160)
    const v = r.column(2)
    const once = fileValues(text, 2)
    expect(v.slice(0, 150)).toEqual([...once, ...once, ...once])
    const t = r.times()
    for (let i = 1; i < t.length; i++) expect(t[i]!).toBeGreaterThanOrEqual(t[i - 1]!)
  })

  it('changes speed while playing', async () => {
    const r = await play({ file: tmp.file('s.csv', sensorCsv(100_000, 3, T0)), speed: 0.1 })
    await new Promise((res) => setTimeout(res, 200))
    expect(r.rows()).toBeLessThanOrEqual(1)
    expect(handle!.replay!.speed(1000).speed).toBe(1000)
    await r.until(() => r.rows() >= 100)
  })

  it('plays a stored history (an imported dataset) into its asset, tags matched by id', async () => {
    store = await openStore({ path: tmp.file('h.db'), assets: [] })
    const stage = await store.stageImport({
      assetId: 'imported',
      name: 'imported',
      class: 'other',
      tags: [
        { id: 's2', unit: '' },
        { id: 's0', unit: '' },
      ],
    })
    const n = 300
    const t = Float64Array.from({ length: n }, (_, i) => T0 + i * 1000)
    stage.write({
      t,
      values: [Float64Array.from(t, (_, i) => 200 + i), Float64Array.from(t, (_, i) => i)],
      quality: [new Uint8Array(n), new Uint8Array(n)],
    })
    await stage.commit()
    const s = store
    const r = await play(
      { history: { assetId: 'imported' }, speed: 1000, loop: false },
      { history: (q) => s.range(q), storedAsset: (id) => s.storedAsset(id) },
    )
    await r.until(() => r.rows() >= n)
    expect(r.column(0)).toEqual(Array.from({ length: n }, (_, i) => i))
    expect(r.column(2)).toEqual(Array.from({ length: n }, (_, i) => 200 + i))
    expect(r.column(1).every((x) => Number.isNaN(x))).toBe(true)
    expect(
      r.statuses.some((st) => st.message?.includes('1 of the asset\'s tags are not in "imported"')),
    ).toBe(true)
  })

  it('fails naming the file when it is deleted mid-replay, and sends nothing after', async () => {
    const text = sensorCsv(5000, 3, T0)
    const file = tmp.file('deleted.csv', text)
    const r = await play({ file, speed: 50, loop: false })
    await r.until(() => r.rows() >= 20)
    unlinkSync(file)
    await r.until(() => r.statuses.some((s) => s.state === 'failed'))
    const failed = r.statuses.find((s) => s.state === 'failed')!
    expect(failed.message).toBe(
      `replay of ${file}: the file is gone (deleted or moved); the rows played before are kept`,
    )
    const sent = r.rows()
    await new Promise((res) => setTimeout(res, 300))
    expect(r.rows()).toBe(sent)
    expect(r.column(1)).toEqual(fileValues(text, 1).slice(0, sent))
  })

  it('fails naming the file when it is cut short mid-replay', async () => {
    const text = sensorCsv(5000, 3, T0)
    const file = tmp.file('truncated.csv', text)
    const r = await play({ file, speed: 50, loop: false })
    await r.until(() => r.rows() >= 20)
    truncateSync(file, 4096)
    await r.until(() => r.statuses.some((s) => s.state === 'failed'))
    expect(r.statuses.find((s) => s.state === 'failed')!.message).toBe(
      `replay of ${file}: the file was cut short while playing (4096 bytes, was ${Buffer.byteLength(text)}); the rows played before are kept`,
    )
  })

  it("refuses a file with no column named like the asset's tags, saying which tags it looked for", async () => {
    const f = tmp.file('other.csv', 'time,x,y\n2024-01-01 00:00:00,1,2\n')
    await expect(play({ file: f })).rejects.toThrow(
      /no column of .*other\.csv is named like one of its tags \(s0, s1, s2\)/,
    )
  })
})
