import type { Database } from 'better-sqlite3'
import { VigilError } from '../../shared/errors.ts'
import { MIGRATIONS, type Migration } from './schema.ts'

/** The highest migration applied to this file; 0 for a new file. */
export function schemaVersion(db: Database): number {
  const exists = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")
    .pluck()
    .get()
  if (!exists) return 0
  return (db.prepare('SELECT coalesce(max(version), 0) FROM schema_version').pluck().get() as number) ?? 0
}

/**
 * Brings the file up to `target` (default: the newest), one transaction per migration, so a
 * failure leaves the file at the last version that fully applied. Returns the version reached.
 * A file from a newer Vigil is refused rather than written with an older idea of its tables.
 */
export function migrate(
  db: Database,
  opts: { target?: number; migrations?: readonly Migration[]; file?: string } = {},
): number {
  const migrations = opts.migrations ?? MIGRATIONS
  const newest = migrations[migrations.length - 1]?.version ?? 0
  const target = opts.target ?? newest
  const file = opts.file ?? db.name
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at REAL NOT NULL)',
  )
  let current = schemaVersion(db)
  if (current > newest) {
    throw new VigilError(
      'unavailable',
      `${file}: history file has schema version ${current}, newer than this build of Vigil knows (${newest}); use a newer Vigil`,
    )
  }
  const record = db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)')
  for (const m of migrations) {
    if (m.version <= current || m.version > target) continue
    try {
      db.transaction(() => {
        db.exec(m.sql)
        record.run(m.version, m.name, Date.now())
      })()
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e)
      throw new VigilError('internal', `${file}: migration ${m.version} (${m.name}) failed: ${why}`)
    }
    current = m.version
  }
  return current
}
