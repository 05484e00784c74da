import Database from 'better-sqlite3'
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { appRoot } from '../paths.ts'

/** The real datasets the import is tested against (../shared/datasets beside the checkout, or $VIGIL_DATASETS). */
export const DATASETS = process.env.VIGIL_DATASETS ?? join(appRoot(), '..', 'shared', 'datasets')
export const SKAB = join(DATASETS, 'skab/anomaly-free/anomaly-free.csv')
export const SKAB_VALVE = join(DATASETS, 'skab/valve1/1.csv')
export const CMAPSS = join(DATASETS, 'cmapss/train_FD001.txt')
export const NAB = join(DATASETS, 'nab-machine-temperature/machine_temperature_system_failure.csv')

/** A temporary folder for generated files and databases, removed by `remove`. */
export function scratch(prefix = 'vigil-import-'): {
  dir: string
  file(name: string, content?: string | Uint8Array): string
  remove(): void
} {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return {
    dir,
    file(name, content) {
      const p = join(dir, name)
      if (content !== undefined) writeFileSync(p, content)
      return p
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}

/** A deterministic generator in [0, 1) (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** "2024-01-01 00:00:00" for epoch ms t. */
export const isoSpace = (t: number) => new Date(t).toISOString().slice(0, 19).replace('T', ' ')

/** The text of a sensor log: a time column and `tags` value columns, one row a second from t0. */
export function sensorCsv(rows: number, tags: number, t0: number, seed = 1, sep = ','): string {
  const r = rng(seed)
  const out = [['time', ...Array.from({ length: tags }, (_, k) => `s${k}`)].join(sep)]
  for (let i = 0; i < rows; i++) {
    const cells = [isoSpace(t0 + i * 1000)]
    for (let k = 0; k < tags; k++) cells.push((k * 10 + r() * 5).toFixed(4))
    out.push(cells.join(sep))
  }
  return `${out.join('\n')}\n`
}

/** Writes a sensor log of `rows` rows in pieces, so a test can make a file far larger than it holds. */
export function writeSensorCsv(path: string, rows: number, tags: number, t0: number, seed = 1): number {
  const fd = openSync(path, 'w')
  const r = rng(seed)
  let bytes = 0
  try {
    bytes += writeSync(fd, `${['time', ...Array.from({ length: tags }, (_, k) => `s${k}`)].join(',')}\n`)
    for (let i = 0; i < rows;) {
      const part: string[] = []
      for (const end = Math.min(rows, i + 50_000); i < end; i++) {
        let line = isoSpace(t0 + i * 1000)
        for (let k = 0; k < tags; k++) line += `,${(k * 10 + r() * 5).toFixed(3)}`
        part.push(line)
      }
      bytes += writeSync(fd, `${part.join('\n')}\n`)
    }
  } finally {
    closeSync(fd)
  }
  return bytes
}

/** Every table's rows as text, to compare a database before and after. */
export function dumpTables(path: string): string {
  const db = new Database(path, { readonly: true })
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all() as string[]
    return tables
      .map((t) => `${t}: ${JSON.stringify(db.prepare(`SELECT * FROM "${t}"`).raw().all())}`)
      .join('\n')
  } finally {
    db.close()
  }
}
