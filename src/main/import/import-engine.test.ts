import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Result } from '../../shared/errors.ts'
import type { ImportPreview, ImportProgress, ImportReport, ReplayState } from '../../shared/import.ts'
import { PlantConfig } from '../../shared/plant.ts'
import type { LiveMessage } from '../../shared/samples.ts'
import { createEngine, type RunningEngine } from '../engine/engine.ts'
import { scratch, sensorCsv, SKAB } from './test-files.ts'

const tmp = scratch('vigil-import-engine-')
const T0 = Date.UTC(2022, 0, 1)
const replayed = tmp.file('replayed.csv', sensorCsv(20_000, 3, T0))
let engine: RunningEngine
const live: LiveMessage[] = []

const value = <T>(r: Result<unknown>): T => {
  if (!r.ok) throw new Error(r.error.message)
  return r.value as T
}
const call = async <T>(method: string, req: unknown) => value<T>(await engine.dispatch(method, req))
async function until(ok: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms
  while (!(await ok())) {
    if (Date.now() > end) throw new Error('condition not reached in time')
    await new Promise((r) => setTimeout(r, 50))
  }
}

beforeAll(async () => {
  const config = PlantConfig.parse({
    name: 'replay plant',
    assets: [
      {
        id: 'R-1',
        name: 'replayed line',
        class: 'other',
        tags: ['s0', 's1', 's2'].map((id, k) => ({ id, unit: 'u', min: k * 10 - 1, max: k * 10 + 6 })),
        source: { kind: 'replay', file: replayed, speed: 1000, tickMs: 50 },
      },
    ],
  })
  engine = await createEngine({ config, dbPath: tmp.file('history.db') })
  engine.subscribe((m) => live.push(m))
})
afterAll(async () => {
  await engine?.stop()
  tmp.remove()
})

describe('imports and replays through the engine', () => {
  it('sends a replayed file downstream as live samples: validated, in the hub, in the history', async () => {
    const started = Date.now()
    await until(() => live.filter((m) => m.topic === 'samples').length >= 3)
    const batch = live.find((m) => m.topic === 'samples')
    expect(batch?.topic === 'samples' && batch.batch.assetId).toBe('R-1')
    if (batch?.topic !== 'samples') return
    expect(batch.batch.quality).toHaveLength(3)
    expect(batch.batch.t[0]).toBeGreaterThanOrEqual(started - 1000)
    await engine.settle()
    const h = await call<{ t: Float64Array }>('history.range', {
      assetId: 'R-1',
      from: started - 60_000,
      to: Date.now() + 1000,
      maxPoints: 20_000,
    })
    expect(h.t.length).toBeGreaterThan(0)
    const health = await call<{ sources: { assetId: string; kind: string; state: string }[] }>(
      'system.health',
      {},
    )
    expect(health.sources).toContainEqual(
      expect.objectContaining({ assetId: 'R-1', kind: 'replay', state: 'running' }),
    )
  })

  it('pauses, seeks and changes the speed of a replay over the contract', async () => {
    const paused = await call<ReplayState>('replay.control', { assetId: 'R-1', action: 'pause' })
    expect(paused).toMatchObject({ playing: false, speed: 1000, from: T0, to: T0 + 19_999_000 })
    const seek = await call<ReplayState>('replay.control', {
      assetId: 'R-1',
      action: 'seek',
      value: T0 + 5_000_000,
    })
    expect(seek.position).toBe(T0 + 5_000_000)
    expect(
      (await call<ReplayState>('replay.control', { assetId: 'R-1', action: 'speed', value: 10 })).speed,
    ).toBe(10)
    const tooFast = await engine.dispatch('replay.control', { assetId: 'R-1', action: 'speed', value: 5000 })
    expect(tooFast).toMatchObject({ ok: false, error: { code: 'bad-request' } })
    const noValue = await engine.dispatch('replay.control', { assetId: 'R-1', action: 'seek' })
    expect(noValue).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/value: seek, speed and loop need a value/) },
    })
    expect((await call<ReplayState>('replay.control', { assetId: 'R-1', action: 'play' })).playing).toBe(true)
  })

  it('previews, imports, reports progress and hands over the report of a file', async () => {
    const preview = await call<ImportPreview>('import.preview', { path: SKAB, assetId: 'skab' })
    expect(preview.columns.map((c) => c.type)).toEqual(['datetime', ...Array(8).fill('number')])
    expect(preview.rows).toHaveLength(20)
    expect(preview.times[0]).toBe(Date.UTC(2020, 1, 8, 13, 30, 47))
    const started = await call<ImportProgress>('import.start', { path: SKAB, mapping: preview.mapping })
    expect(started.state).toBe('running')
    let p = started
    await until(async () => {
      p = await call<ImportProgress>('import.progress', { jobId: started.jobId })
      return p.state !== 'running' && p.state !== 'committing'
    })
    expect(p).toMatchObject({ state: 'done', rows: 9405, rejected: 0, bytesRead: p.bytesTotal })
    expect(p.rowsPerS).toBeGreaterThan(0)
    const r = await call<{ report: ImportReport; csv: string; path: string }>('import.report', {
      jobId: started.jobId,
    })
    expect(r.report.rows).toBe(9405)
    expect(r.csv.split('\n')[0]).toBe(
      'file,asset,state,rows_imported,rows_rejected,columns,number,time,backwards,truncated',
    )
    expect(r.path).toMatch(/import-reports/)
    expect((await call<ImportProgress[]>('import.jobs', {})).map((j) => j.jobId)).toContain(started.jobId)
    const h = await call<{ t: Float64Array; tags: string[] }>('history.range', {
      assetId: 'skab',
      from: Date.UTC(2020, 1, 8),
      to: Date.UTC(2020, 1, 9),
      maxPoints: 20_000,
    })
    expect(h.t.length).toBe(9405)
    expect(h.tags).toHaveLength(8)
  })

  it('answers a missing file, an unknown job and a bad request with messages that name them', async () => {
    const missing = await engine.dispatch('import.preview', { path: tmp.file('nope.csv') })
    expect(missing).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: expect.stringMatching(/nope\.csv: cannot open/) },
    })
    const job = await engine.dispatch('import.progress', { jobId: 'nope' })
    expect(job).toMatchObject({ ok: false, error: { code: 'not-found', message: 'no import job "nope"' } })
    const bad = await engine.dispatch('import.start', { path: SKAB, mapping: { version: 2 } })
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } })
  })
})
