import type { Database } from 'better-sqlite3'
import type { ImportedDataset, ImportMapping } from '../../shared/import.ts'

/*
 * The record of committed imports (schema migration 5). The writer inserts a row inside the
 * transaction that commits the stage (import-stage.ts), so the list never names an import
 * whose rows are absent, nor misses one whose rows are there, whatever a crash interrupts.
 */

/** What the import job knows when it commits; the writer adds the id and the finishing time. */
export type DatasetRecord = Omit<ImportedDataset, 'id' | 'finishedAt' | 'status'>

/** Inside the writer's commit transaction. */
export function insertDataset(db: Database, r: DatasetRecord, finishedAt: number): void {
  db.prepare(
    `INSERT INTO imported_datasets (job, asset, file, size, rows, rejected, first_t, last_t, mapping,
       report_path, started_at, finished_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'committed')`,
  ).run(
    r.jobId,
    r.assetId,
    r.file,
    r.size,
    r.rows,
    r.rejected,
    r.from,
    r.to,
    JSON.stringify(r.mapping),
    r.reportPath,
    r.startedAt,
    finishedAt,
  )
}

interface Row {
  id: number
  job: string
  asset: string
  file: string
  size: number
  rows: number
  rejected: number
  first_t: number | null
  last_t: number | null
  mapping: string
  report_path: string | null
  started_at: number
  finished_at: number
}

/** Committed imports, newest first; of one asset when `assetId` is given. */
export function listDatasets(db: Database, q: { assetId?: string; limit?: number } = {}): ImportedDataset[] {
  const where = q.assetId === undefined ? '' : 'WHERE asset = ?'
  const rows = db
    .prepare(`SELECT * FROM imported_datasets ${where} ORDER BY finished_at DESC, id DESC LIMIT ?`)
    .all(...(q.assetId === undefined ? [] : [q.assetId]), q.limit ?? 1000) as Row[]
  return rows.map((r) => ({
    id: r.id,
    jobId: r.job,
    assetId: r.asset,
    file: r.file,
    size: r.size,
    rows: r.rows,
    rejected: r.rejected,
    from: r.first_t,
    to: r.last_t,
    mapping: JSON.parse(r.mapping) as ImportMapping,
    reportPath: r.report_path,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    status: 'committed',
  }))
}
