import { parse } from 'csv-parse/sync'
import type { CsvFormat } from '../../shared/import.ts'
import { isTypedCell, numberCell } from './cell-kind.ts'
import type { FileHead } from './file-head.ts'

type Delimiter = CsvFormat['delimiter']
const CANDIDATES: Delimiter[] = ['\t', ';', '|', ',', 'whitespace']
const PROBE_LINES = 200

/** Splits text into records with a given delimiter, quotes honoured (csv-parse does the quoting). */
export function recordsOf(text: string, delimiter: Delimiter, toLine?: number): string[][] {
  if (delimiter === 'whitespace') {
    const lines = text.split(/\r\n|\n|\r/)
    return (toLine ? lines.slice(0, toLine) : lines)
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .map((l) => l.split(/[ \t]+/))
  }
  return parse(text, {
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    bom: true,
    ...(toLine ? { to_line: toLine } : {}),
  }) as string[][]
}

/**
 * The delimiter that splits the head into the most typed cells (numbers and dates) in rows of
 * one width: a decimal comma splits a ';' file into more fields than ';' does, but into
 * fields that are no longer numbers.
 */
export function detectDelimiter(text: string): Delimiter {
  let best: Delimiter = ','
  let bestScore = -1
  for (const d of CANDIDATES) {
    let rows: string[][]
    try {
      rows = recordsOf(text, d, PROBE_LINES)
    } catch {
      continue
    }
    if (rows.length === 0) continue
    const counts = new Map<number, number>()
    for (const r of rows) counts.set(r.length, (counts.get(r.length) ?? 0) + 1)
    const [width, times] = [...counts].sort((a, b) => b[1] - a[1])[0]!
    if (width < 2 || times < rows.length * 0.9) continue
    let typed = 0
    let cells = 0
    for (const r of rows.slice(1)) {
      if (r.length !== width) continue
      for (const c of r) {
        cells++
        if (isTypedCell(c)) typed++
      }
    }
    const score = width * (cells ? typed / cells : 0) + width * 1e-3
    if (score > bestScore) {
      best = d
      bestScore = score
    }
  }
  return best
}

/** ',' when a ';' or tab file writes numbers as 1,5 and never as 1.5. */
export function detectDecimal(rows: string[][], delimiter: Delimiter): '.' | ',' {
  if (delimiter === ',') return '.'
  let commas = 0
  let dots = 0
  for (const r of rows)
    for (const c of r) {
      const s = c.trim()
      if (/^[+-]?\d*,\d+$/.test(s)) commas++
      else if (/^[+-]?\d*\.\d+(?:[eE][+-]?\d+)?$/.test(s)) dots++
    }
  return commas > 0 && dots === 0 ? ',' : '.'
}

/**
 * Leading rows that do not fit the columns below them: a row of names, maybe a row of units.
 * A row fits when most of the columns that hold numbers further down hold a number in it.
 */
export function detectHeaderRows(rows: string[][], decimal: '.' | ','): number {
  const body = rows.slice(Math.min(3, Math.max(0, rows.length - 1)))
  const width = Math.max(0, ...rows.map((r) => r.length))
  const numeric: number[] = []
  for (let c = 0; c < width; c++) {
    const cells = body.map((r) => r[c] ?? '').filter((s) => s.trim() !== '')
    const n = cells.filter((s) => !Number.isNaN(numberCell(s, decimal)) || isTypedCell(s)).length
    if (cells.length > 0 && n >= cells.length * 0.8) numeric.push(c)
  }
  if (numeric.length === 0) return rows.length > 1 ? 1 : 0
  let header = 0
  for (const r of rows.slice(0, 3)) {
    const fit = numeric.filter((c) => {
      const s = r[c] ?? ''
      return s.trim() === '' || isTypedCell(s)
    }).length
    if (fit >= numeric.length * 0.5) break
    header++
  }
  return header
}

/** Byte offset (in the head's bytes) and 1-based line where data starts, after `records` records. */
export function dataStart(head: FileHead, records: number): { offset: number; line: number } {
  const b = head.bytes
  let p = 0
  let line = 1
  let seen = 0
  let inQuote = false
  let blank = true
  while (p < b.length && seen < records) {
    const c = b[p++]!
    if (c === 34) inQuote = !inQuote
    if (c === 10) {
      line++
      if (!inQuote && !blank) seen++
      if (!inQuote) blank = true
    } else if (c !== 13 && c !== 32 && c !== 9) blank = false
  }
  return { offset: head.bom + p, line }
}
