import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { scratch } from '../import/test-files.ts'
import type { DatasetRecord } from './import-datasets.ts'
import { migrate, schemaVersion } from './migrations.ts'
import { openStore, type Store } from './store.ts'

let tmp: ReturnType<typeof scratch>
let store: Store
let db: string

beforeEach(() => {
  tmp = scratch('vigil-datasets-')
  db = tmp.file('history.db')
})
afterEach(async () => {
  await store?.close()
  tmp.remove()
})

const record = (jobId: string): DatasetRecord => ({
  jobId,
  assetId: 'lab-1',
  file: '/data/lab.csv',
  size: 1234,
  rows: 3,
  rejected: 1,
  from: 1000,
  to: 3000,
  mapping: { assetId: 'lab-1' } as DatasetRecord['mapping'],
  reportPath: '/reports/lab.csv.import.csv',
  startedAt: 500,
})

async function stageThree(commit: DatasetRecord | null) {
  const stage = await store.stageImport({
    assetId: 'lab-1',
    name: 'lab',
    class: 'other',
    tags: [{ id: 'x', unit: 'C' }],
  })
  stage.write({
    t: Float64Array.of(1000, 2000, 3000),
    values: [Float64Array.of(1, 2, 3)],
    quality: [new Uint8Array(3)],
  })
  await store.flush()
  if (commit) await stage.commit(commit)
  else await stage.abort()
}

describe('the record of imported datasets', () => {
  it('records a committed import with its file, counts, span, mapping and report, and keeps it across a restart', async () => {
    store = await openStore({ path: db, assets: [] })
    await stageThree(record('job-1'))
    const [d] = await store.importedDatasets()
    expect(d).toMatchObject({ ...record('job-1'), status: 'committed' })
    expect(d!.finishedAt).toBeGreaterThanOrEqual(d!.startedAt)
    await store.close()
    store = await openStore({ path: db, assets: [] })
    expect((await store.importedDatasets({ assetId: 'lab-1' })).map((x) => x.jobId)).toEqual(['job-1'])
    expect(await store.importedDatasets({ assetId: 'other' })).toEqual([])
  })

  it('records nothing for an import that is dropped, so the list names only data the history holds', async () => {
    store = await openStore({ path: db, assets: [] })
    await stageThree(null)
    expect(await store.importedDatasets()).toEqual([])
    expect(await store.storedAsset('lab-1')).toBeNull()
  })

  it('lists the newest import first', async () => {
    store = await openStore({ path: db, assets: [] })
    await stageThree(record('first'))
    await new Promise((r) => setTimeout(r, 5))
    await stageThree(record('second'))
    expect((await store.importedDatasets()).map((d) => d.jobId)).toEqual(['second', 'first'])
    expect((await store.importedDatasets({ limit: 1 })).map((d) => d.jobId)).toEqual(['second'])
  })

  it('upgrades a version 4 file with an empty record of imports', async () => {
    const conn = new Database(db)
    migrate(conn, { target: 4 })
    conn.close()
    store = await openStore({ path: db, assets: [] })
    expect(await store.importedDatasets()).toEqual([])
    await store.close()
    const check = new Database(db, { readonly: true })
    expect(schemaVersion(check)).toBeGreaterThanOrEqual(5)
    check.close()
    store = await openStore({ path: db, assets: [] })
  })
})
