import type {
  ColumnMap,
  ColumnType,
  ImportMapping,
  ImportProgress,
  TimeSpec,
} from '../../../shared/import.ts'

/*
 * What the import wizard computes, kept out of its components so it can be tested without a
 * DOM: edits to a mapping, the words for types and progress, the report's file name.
 */

export const TYPE_WORDS: Record<ColumnType, string> = {
  number: 'number',
  datetime: 'date & time',
  date: 'date',
  'time-of-day': 'time of day',
  'epoch-s': 'epoch seconds',
  'epoch-ms': 'epoch ms',
  text: 'text',
  empty: 'empty',
}

/** A tag id as the engine accepts it (plant.ts): a letter first, then letters, digits and _. */
export const isTagId = (s: string) => /^[A-Za-z][A-Za-z0-9_]*$/.test(s)

/** Columns holding the time, which cannot also feed a tag. */
export function timeColumns(t: TimeSpec): number[] {
  if (t.kind === 'none') return []
  return t.kind === 'date+time' ? [t.column, t.timeColumn] : [t.column]
}

/** The mapping with one column's entry changed; a cleared tag leaves the column out. */
export function editColumn(m: ImportMapping, column: number, edit: Partial<ColumnMap>): ImportMapping {
  return {
    ...m,
    columns: m.columns.map((c) => {
      if (c.column !== column) return c
      const next = { ...c, ...edit }
      if (next.tag === '') next.tag = null
      for (const k of ['min', 'max'] as const)
        if (next[k] === undefined || Number.isNaN(next[k])) delete next[k]
      return next
    }),
  }
}

/** What is wrong with a mapping before it is sent, in words; empty when it can start. */
export function mappingProblems(m: ImportMapping): string[] {
  const out: string[] = []
  const used = m.columns.filter((c) => c.tag !== null)
  if (used.length === 0) out.push('Map at least one column to a tag.')
  const seen = new Set<string>()
  for (const c of used) {
    const name = c.source || `column ${c.column + 1}`
    if (!isTagId(c.tag!))
      out.push(`${name}: "${c.tag}" is not a tag id (a letter first, then letters, digits or _).`)
    if (seen.has(c.tag!)) out.push(`Tag "${c.tag}" is fed by two columns.`)
    seen.add(c.tag!)
    if (c.min !== undefined && c.max !== undefined && !(c.min < c.max))
      out.push(`${name}: min must be below max.`)
    if (timeColumns(m.time).includes(c.column)) out.push(`${name} holds the time and cannot also feed a tag.`)
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(m.assetId))
    out.push(`"${m.assetId}" is not an asset id (letters, digits, _ . -).`)
  return out
}

/** "1 h 02 min", "45 s", "—". */
export function durationText(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '—'
  if (s < 60) return `${Math.ceil(s)} s`
  const m = Math.round(s / 60)
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`
}

/** The progress line a person reads while an import runs. */
export function progressText(p: ImportProgress): string {
  const pct = p.bytesTotal > 0 ? Math.min(100, (100 * p.bytesRead) / p.bytesTotal) : 0
  const rate = `${Math.round(p.rowsPerS).toLocaleString()} rows/s`
  const left = p.state === 'running' ? `, ${durationText(p.etaS)} left` : ''
  return `${pct.toFixed(0)}% · ${p.rows.toLocaleString()} rows · ${rate}${left} · ${p.rejected.toLocaleString()} rejected`
}

export const finished = (p: ImportProgress) => !(p.state === 'running' || p.state === 'committing')

/** "machine_temperature.import-report.csv" for "/data/machine_temperature.csv". */
export function reportFileName(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? 'import'
  return `${base.replace(/\.[^.]*$/, '') || 'import'}.import-report.csv`
}
