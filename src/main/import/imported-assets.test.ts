import { existsSync, statSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AssetView } from '../../shared/contract.ts'
import type { Result } from '../../shared/errors.ts'
import type { ImportedDataset, ImportPreview, ImportReport } from '../../shared/import.ts'
import { PlantConfig } from '../../shared/plant.ts'
import { createEngine, type RunningEngine } from '../engine/engine.ts'
import { scratch, sensorCsv } from './test-files.ts'

const tmp = scratch('vigil-imported-assets-')
const T0 = Date.UTC(2023, 5, 1)
const text = sensorCsv(5_000, 3, T0, 7)
const lab = tmp.file('lab.csv', text)
const broken = tmp.file('broken.csv', `${sensorCsv(10, 3, T0)}2023-06-01 00:00:10,1,oops,3\n`)
let engine: RunningEngine

const call = async <T>(method: string, req: unknown): Promise<T> => {
  const r: Result<unknown> = await engine.dispatch(method, req)
  if (!r.ok) throw new Error(r.error.message)
  return r.value as T
}

async function importAs(path: string, assetId: string, onBadRow: 'skip' | 'abort'): Promise<ImportReport> {
  const preview = await call<ImportPreview>('import.preview', { path, assetId })
  const started = await call<{ jobId: string }>('import.start', { path, mapping: preview.mapping, onBadRow })
  for (;;) {
    const p = await call<{ state: string }>('import.progress', { jobId: started.jobId })
    if (p.state !== 'running' && p.state !== 'committing') break
    await new Promise((r) => setTimeout(r, 50))
  }
  return (await call<{ report: ImportReport }>('import.report', { jobId: started.jobId })).report
}

/** Each tag's extremes as the file holds them. */
function extremes(csv: string): { min: number; max: number }[] {
  const rows = csv
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').slice(1).map(Number))
  return rows[0]!.map((_, k) => ({
    min: Math.min(...rows.map((r) => r[k]!)),
    max: Math.max(...rows.map((r) => r[k]!)),
  }))
}

beforeAll(async () => {
  const config = PlantConfig.parse({
    name: 'import plant',
    assets: [
      {
        id: 'R-1',
        name: 'replayed line',
        class: 'other',
        tags: [{ id: 's0', unit: 'u', min: 0, max: 10 }],
        source: { kind: 'replay', file: lab, speed: 1, tickMs: 1000 },
      },
    ],
  })
  engine = await createEngine({ config, dbPath: tmp.file('history.db'), userDataDir: tmp.dir })
})
afterAll(async () => {
  await engine?.stop()
  tmp.remove()
})

describe('an asset that only the history holds', () => {
  it('is listed by plant.describe as imported, with the data range of each tag and no models', async () => {
    const before = await call<{ assets: AssetView[] }>('plant.describe', {})
    expect(before.assets.map((a) => a.id)).toEqual(['R-1'])
    const report = await importAs(lab, 'lab-1', 'skip')
    expect(report).toMatchObject({ state: 'done', rows: 5_000 })
    const { assets } = await call<{ assets: AssetView[] }>('plant.describe', {})
    expect(assets.map((a) => a.id)).toEqual(['R-1', 'lab-1'])
    expect(assets[0]!.origin).toBeUndefined()
    const imported = assets[1]!
    expect(imported).toMatchObject({ id: 'lab-1', class: 'other', models: [], origin: 'imported' })
    const seen = extremes(text)
    expect(imported.tags.map((t) => ({ id: t.id, min: t.min, max: t.max }))).toEqual(
      ['s0', 's1', 's2'].map((id, k) => ({ id, ...seen[k]! })),
    )
  })

  it('records the committed import over import.datasets: file, size, rows, span, mapping and report', async () => {
    const [d] = await call<ImportedDataset[]>('import.datasets', { assetId: 'lab-1' })
    expect(d).toMatchObject({
      assetId: 'lab-1',
      file: lab,
      size: statSync(lab).size,
      rows: 5_000,
      rejected: 0,
      from: T0,
      to: T0 + 4_999_000,
      status: 'committed',
    })
    expect(d!.mapping.assetId).toBe('lab-1')
    expect(existsSync(d!.reportPath!)).toBe(true)
    expect(d!.finishedAt).toBeGreaterThanOrEqual(d!.startedAt)
  })

  it('lists neither a dataset nor an asset for an import that aborted', async () => {
    const report = await importAs(broken, 'lab-2', 'abort')
    expect(report.state).toBe('aborted')
    expect((await call<ImportedDataset[]>('import.datasets', {})).map((d) => d.assetId)).toEqual(['lab-1'])
    const { assets } = await call<{ assets: AssetView[] }>('plant.describe', {})
    expect(assets.map((a) => a.id)).toEqual(['R-1', 'lab-1'])
  })

  it('refuses a malformed datasets request with the field named', async () => {
    const r = await engine.dispatch('import.datasets', { limit: 0 })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.message).toMatch(/limit/)
  })
})
