import Database from 'better-sqlite3'
import { existsSync } from 'node:fs'
import { open, rename, rm } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { VigilError } from '../../shared/errors.ts'
import { exportCsv } from '../store/csv-export.ts'
import { defaultDbPath } from './user-data.ts'

export const exportUsage = `vigil export --asset ID [--tags a,b] [--from T] [--to T] --out FILE.csv [--db FILE]

  Writes an asset's raw samples as CSV: a time column (ISO 8601, UTC) and one column per tag.
  --asset ID     the asset, as the history file names it
  --tags a,b     these tags, in this order (default: the asset's configured tags)
  --from T       first time included: ISO 8601 (2025-01-01T00:00:00Z) or epoch ms (default: the start)
  --to T         first time excluded (default: the end)
  --out FILE     the CSV file to write (written beside, then renamed: never left half-written)
  --db FILE      history database (default: ${defaultDbPath()})
  Reads beside a running Vigil without stopping it.`

/** An ISO 8601 time or epoch milliseconds; the error names the flag. */
export function parseTime(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const t = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : Date.parse(text)
  if (!Number.isFinite(t))
    throw new VigilError(
      'bad-request',
      `${flag}: "${text}" is not a time (ISO 8601 like 2025-01-01T00:00:00Z, or epoch ms)`,
    )
  return t
}

export async function exportCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      asset: { type: 'string' },
      tags: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
      db: { type: 'string' },
    },
    strict: true,
  })
  if (!values.asset) throw new VigilError('bad-request', '--asset is required')
  if (!values.out) throw new VigilError('bad-request', '--out is required')
  const from = parseTime('--from', values.from)
  const to = parseTime('--to', values.to)
  if (from !== undefined && to !== undefined && !(from < to))
    throw new VigilError('bad-request', `--from (${values.from}) must be before --to (${values.to})`)
  const path = values.db ?? defaultDbPath()
  if (!existsSync(path)) throw new VigilError('not-found', `${path}: no history database there`)
  const tags = values.tags
    ?.split(',')
    .map((t) => t.trim())
    .filter(Boolean)

  const db = new Database(path, { readonly: true, fileMustExist: true })
  const partial = `${values.out}.partial`
  const file = await open(partial, 'w')
  try {
    const started = Date.now()
    const r = await exportCsv(db, { assetId: values.asset, tags, from, to }, (chunk) => file.write(chunk))
    await file.close()
    await rename(partial, values.out)
    const s = ((Date.now() - started) / 1000).toFixed(1)
    console.log(
      `exported ${r.rows} rows x ${r.tags.length} tags of ${values.asset} to ${values.out} in ${s} s`,
    )
  } catch (e) {
    await file.close().catch(() => {})
    await rm(partial, { force: true })
    throw e
  } finally {
    db.close()
  }
}
