import { mkdirSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { ImportedAsset, ImportMapping, ImportReport } from '../../shared/import.ts'
import type { AssetConfig, TagConfig } from '../../shared/plant.ts'
import { reportCsv } from './bad-rows.ts'

/**
 * Writes the report twice beside each other: CSV for a spreadsheet (the path returned and
 * printed) and JSON for programs. Named after the file and the time, so reports accumulate.
 */
export function writeReport(dir: string, r: ImportReport): string {
  mkdirSync(dir, { recursive: true })
  const base = reportPathOf(dir, r.file, r.startedAt).slice(0, -'.csv'.length)
  writeFileSync(`${base}.json`, `${JSON.stringify(r, null, 2)}\n`)
  writeFileSync(`${base}.csv`, reportCsv(r))
  return `${base}.csv`
}

/** Where writeReport puts the CSV report of an import of `file` started at `startedAt`. */
export function reportPathOf(dir: string, file: string, startedAt: number): string {
  const stamp = new Date(startedAt).toISOString().replace(/[:.]/g, '-')
  return join(dir, `${basename(file).replace(/[^\w.-]+/g, '_')}.${stamp}.import.csv`)
}

/**
 * The asset as the import left it: a configured asset's own tags, or a new asset's tags with
 * the mapping's units and ranges (or, where it gives none, the range the file held, widened a
 * little so the next file's extremes are not all out of range).
 */
export function importedAsset(
  m: ImportMapping,
  configured: AssetConfig | null,
  seen: { min: number[]; max: number[] },
): ImportedAsset {
  if (configured)
    return { id: configured.id, name: configured.name, class: configured.class, tags: configured.tags }
  const mapped = m.columns.filter((c) => c.tag !== null)
  const tags: TagConfig[] = mapped.map((c, k) => {
    let lo = c.min ?? seen.min[k] ?? 0
    let hi = c.max ?? seen.max[k] ?? 1
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1]
    if (c.min === undefined || c.max === undefined) {
      const pad = (hi - lo) * 0.1 || Math.abs(hi) * 0.1 || 1
      if (c.min === undefined) lo -= pad
      if (c.max === undefined) hi += pad
    }
    return { id: c.tag!, ...(c.name ? { name: c.name } : {}), unit: c.unit, min: lo, max: hi }
  })
  return { id: m.assetId, name: m.assetName ?? m.assetId, class: m.assetClass ?? 'other', tags }
}
