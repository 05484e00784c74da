import Database from 'better-sqlite3'
import { readFileSync, statSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { PlantConfig } from '../../shared/plant.ts'
import { openStore, type Store } from '../store/store.ts'
import { pumpAsset } from '../store/test-plant.ts'
import { createImportService, type ImportService } from './import-service.ts'
import { dumpTables, NAB, scratch, sensorCsv, SKAB, writeSensorCsv } from './test-files.ts'

const pump = pumpAsset('P-101', ['Motor_RPM', 'Bearing_Temperature_C', 'Vibration_mm_s'])
const plant = { name: 'test plant', assets: [pump] } as PlantConfig
const T0 = Date.UTC(2024, 0, 1)
let tmp: ReturnType<typeof scratch>
let store: Store
let imports: ImportService
let db: string

beforeEach(async () => {
  tmp = scratch()
  db = tmp.file('history.db')
  store = await openStore({ path: db, assets: plant.assets })
  imports = createImportService({ store, plant, dataDir: tmp.dir })
})
afterEach(async () => {
  await imports.close()
  await store.close()
  tmp.remove()
})

async function importFile(path: string, assetId: string, onBadRow: 'skip' | 'abort' = 'skip') {
  const preview = await imports.preview({ path, assetId })
  const job = imports.start({ path, mapping: preview.mapping, onBadRow })
  const report = await job.done
  return { preview, job, report }
}

/** Waits out the writer's background work (rollups of a committed import), so two dumps compare only what an import did. */
async function settled(): Promise<void> {
  await store.flush()
  const conn = new Database(db, { readonly: true })
  try {
    const unrolled = conn
      .prepare('SELECT count(*) FROM time_blocks WHERE sealed = 1 AND rolled IS NULL')
      .pluck()
    for (let i = 0; i < 200 && (unrolled.get() as number) > 0; i++)
      await new Promise((r) => setTimeout(r, 50))
  } finally {
    conn.close()
  }
  await store.flush()
}

const everything = (assetId: string) => store.range({ assetId, from: 0, to: 4e12, maxPoints: 1_000_000 })

describe('importing a file into the history', () => {
  it('imports the NAB machine temperature and reports the clock stepping back, row by row', async () => {
    const { report, job } = await importFile(NAB, 'nab')
    expect(report.state).toBe('done')
    expect(report.rows).toBe(22_684)
    expect(report.rejected).toBe(11)
    expect(report.badRows.map((b) => b.line)).toEqual(Array.from({ length: 11 }, (_, i) => 10_151 + i))
    expect(report.badRows[0]!.message).toBe(
      `${NAB}:10151: time 2014-01-07T02:00:00.000Z goes back from 2014-01-07T02:55:00.000Z`,
    )
    const h = await everything('nab')
    const kept = readFileSync(NAB, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .filter((_, i) => i + 2 < 10_151 || i + 2 > 10_161)
    expect(h.t.length).toBe(kept.length)
    expect(Array.from(h.min[0]!)).toEqual(kept.map((l) => Number(l.split(',')[1])))
    expect(job.progress()).toMatchObject({ state: 'done', rows: 22_684, rejected: 11, etaS: null })
    const csv = readFileSync(job.progress().reportPath!, 'utf8')
    expect(csv).toContain(`${NAB},10151,backwards`)
  })

  it('makes a new asset of the SKAB testbed with a tag per numeric column, units and ranges', async () => {
    const { report, preview } = await importFile(SKAB, 'skab-pump')
    expect(preview.assetExists).toBe(false)
    expect(report.state).toBe('done')
    expect(report.rows).toBe(9405)
    expect(report.asset!.tags.map((t) => t.id)).toEqual([
      'Accelerometer1RMS',
      'Accelerometer2RMS',
      'Current',
      'Pressure',
      'Temperature',
      'Thermocouple',
      'Voltage',
      'Volume_Flow_RateRMS',
    ])
    expect(report.asset!.tags[7]!.name).toBe('Volume Flow RateRMS')
    const stored = await store.storedAsset('skab-pump')
    expect(stored).toMatchObject({ samples: 9405, from: Date.UTC(2020, 1, 8, 13, 30, 47) })
    for (const t of report.asset!.tags) expect(t.min).toBeLessThan(t.max)
  })

  it('feeds a configured asset only the columns named like its tags', async () => {
    const rows = Array.from(
      { length: 100 },
      (_, i) => `${new Date(T0 + i * 1000).toISOString()},${1400 + i},${50 + i / 10},junk${i}`,
    )
    const f = tmp.file('p101.csv', `time,motor rpm,Bearing_Temperature_C,comment\n${rows.join('\n')}\n`)
    const { report, preview } = await importFile(f, 'P-101')
    expect(preview.assetExists).toBe(true)
    expect(preview.mapping.columns.map((c) => c.tag)).toEqual([
      null,
      'Motor_RPM',
      'Bearing_Temperature_C',
      null,
    ])
    expect(report.rows).toBe(100)
    const h = await store.range({ assetId: 'P-101', from: T0, to: T0 + 100_000, maxPoints: 1000 })
    expect(h.tags).toEqual(['Motor_RPM', 'Bearing_Temperature_C', 'Vibration_mm_s'])
    expect(h.min[0]![99]).toBe(1499)
    expect(h.quality[2]!.every((q) => q === 8)).toBe(true)
  })

  it('leaves the history exactly as it was when it aborts at a bad row', async () => {
    await importFile(SKAB, 'skab-pump')
    await settled()
    const before = dumpTables(db)
    const f = tmp.file('late-error.csv', sensorCsv(5000, 3, T0).replace(/\n([^\n]*)\n$/, '\n$1,extra\n'))
    const { report, job } = await importFile(f, 'gen', 'abort')
    expect(report.state).toBe('aborted')
    expect(report.badRows).toEqual([expect.objectContaining({ line: 5001, reason: 'columns' })])
    expect(job.progress().rows).toBeLessThanOrEqual(5000)
    await settled()
    expect(dumpTables(db)).toBe(before)
  })

  it('leaves the history exactly as it was when cancelled part way', async () => {
    await importFile(SKAB, 'skab-pump')
    await settled()
    const before = dumpTables(db)
    const f = tmp.file('big.csv')
    writeSensorCsv(f, 400_000, 4, T0)
    const preview = await imports.preview({ path: f, assetId: 'big' })
    const job = imports.start({ path: f, mapping: preview.mapping })
    while (job.progress().rows === 0 && job.progress().state === 'running')
      await new Promise((r) => setTimeout(r, 10))
    const p = await imports.cancel(job.id)
    expect(p.state).toBe('cancelled')
    expect(p.rows).toBeGreaterThan(0)
    await settled()
    expect(dumpTables(db)).toBe(before)
    expect(await store.storedAsset('big')).toBeNull()
  })

  it('fails without touching the history when the mapping names a column the file lacks', async () => {
    const f = tmp.file('two.csv', sensorCsv(10, 2, T0))
    const preview = await imports.preview({ path: f, assetId: 'x' })
    const mapping = {
      ...preview.mapping,
      columns: [...preview.mapping.columns, { column: 9, source: '', tag: 'ghost', unit: '' }],
    }
    const report = await imports.start({ path: f, mapping }).done
    expect(report.state).toBe('failed')
    expect(report.message).toMatch(/column for tag "ghost" is column 10, but the file has 3 columns/)
    expect(await store.storedAsset('x')).toBeNull()
  })

  it('saves the mapping and offers it for the next file of the same shape', async () => {
    const a = tmp.file('day1.csv', sensorCsv(50, 3, T0, 1))
    const b = tmp.file('day2.csv', sensorCsv(50, 3, T0 + 86_400_000, 2))
    const first = await imports.preview({ path: a, assetId: 'line-7' })
    const mapping = {
      ...first.mapping,
      columns: first.mapping.columns.map((c) =>
        c.tag === 's1' ? { ...c, tag: 'flow', unit: 'L/min', min: 0, max: 100 } : c,
      ),
    }
    expect((await imports.start({ path: a, mapping }).done).state).toBe('done')
    const second = await imports.preview({ path: b })
    expect(second.mappingFrom).toBe('saved')
    expect(second.mapping).toEqual(mapping)
    expect(second.assetExists).toBe(true)
    expect((await imports.start({ path: b, mapping: second.mapping }).done).rows).toBe(50)
    expect((await store.storedAsset('line-7'))!.samples).toBe(100)
  })

  it('refuses a second import into an asset while one runs', async () => {
    const f = tmp.file('big.csv')
    writeSensorCsv(f, 200_000, 2, T0)
    const preview = await imports.preview({ path: f, assetId: 'busy' })
    const job = imports.start({ path: f, mapping: preview.mapping })
    expect(() => imports.start({ path: f, mapping: preview.mapping })).toThrow(/already importing/)
    await job.done
  })

  it('parses a file many times larger than the memory the parsing thread uses', async () => {
    const f = tmp.file('two-million.csv')
    writeSensorCsv(f, 2_000_000, 5, T0)
    const size = statSync(f).size
    const preview = await imports.preview({ path: f, assetId: 'large' })
    const job = imports.start({ path: f, mapping: preview.mapping })
    const report = await job.done
    expect(report.rows).toBe(2_000_000)
    // Two threads parse a file this size (split-parse.ts), each in its own bounded buffers and
    // open rollup rows (producer-rollups.ts, ~1.6 MB for 5 tags): together under 72 MiB, and
    // each far less than the file.
    const threads = report.parser?.endsWith('2 threads') ? 2 : 1
    expect(job.peakWorkerBytes).toBeLessThan(72 * 2 ** 20)
    expect(size).toBeGreaterThan((2 * job.peakWorkerBytes) / threads)
    expect((await store.storedAsset('large'))!.samples).toBe(2_000_000)
  }, 120_000)
})
