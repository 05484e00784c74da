import type { Database } from 'better-sqlite3'
import { existsSync, statSync } from 'node:fs'
import type { HistoryStats, StoreStatus } from '../../shared/contract.ts'
import type { RetentionPolicy } from './retention.ts'

/**
 * Tables only ever appended to, and trimmed from their oldest rows by retention: their ids are
 * dense, so max - min + 1 counts them without the full scan count(*) costs on millions of rows.
 */
const APPEND_ONLY = new Set(['prediction_logs', 'events', 'alarm_journal', 'audit_log', 'maintenance_events'])

/** What the history file holds, read on the read connection; every figure is exact. */
export function historyStats(
  db: Database,
  path: string,
  policy: RetentionPolicy | undefined,
  maxBytes: number | undefined,
  status: StoreStatus,
): HistoryStats {
  return db.transaction(() => {
    const size = (p: string) => (existsSync(p) ? statSync(p).size : 0)
    const walBytes = size(`${path}-wal`)
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .pluck()
      .all() as string[]
    const rows: Record<string, number> = {}
    for (const t of tables) {
      const sql = APPEND_ONLY.has(t)
        ? `SELECT coalesce(max(rowid) - min(rowid) + 1, 0) FROM "${t}"`
        : `SELECT count(*) FROM "${t}"`
      rows[t] = db.prepare(sql).pluck().get() as number
    }
    const perAsset = db
      .prepare(
        `SELECT a.asset, min(b.t0), max(b.t1), coalesce(sum(b.n), 0), a.raw_horizon
         FROM assets a LEFT JOIN time_blocks b ON b.asset_id = a.id GROUP BY a.id ORDER BY a.asset`,
      )
      .raw()
      .all() as [string, number | null, number | null, number, number | null][]
    const values = db
      .prepare('SELECT coalesce(sum(b.n), 0) FROM value_blocks v JOIN time_blocks b ON b.id = v.block_id')
      .pluck()
      .get() as number
    const pragma = (name: string) => db.pragma(name, { simple: true }) as number
    return {
      path,
      bytes: size(path) + walBytes,
      walBytes,
      pageSize: pragma('page_size'),
      pages: pragma('page_count'),
      freePages: pragma('freelist_count'),
      rows,
      samples: perAsset.reduce((s, a) => s + a[3], 0),
      values,
      assets: perAsset.map(([assetId, from, to, samples, rawHorizon]) => ({
        assetId,
        from,
        to,
        samples,
        rawHorizon,
      })),
      retention: { ...policy },
      maxBytes: maxBytes ?? null,
      status,
    }
  })()
}
