import type { ColumnPreview, CsvFormat } from '../../shared/import.ts'
import { VigilError } from '../../shared/errors.ts'
import { columnTypes, guessTime, type TimeGuess } from './detect-columns.ts'
import { dataStart, detectDecimal, detectDelimiter, detectHeaderRows, recordsOf } from './detect-format.ts'
import { readHead, type FileHead } from './file-head.ts'
import { shapeOf } from './mapping.ts'

/** Everything detection learns from a file's head; the import and the preview both start here. */
export interface Detection {
  head: FileHead
  format: CsvFormat
  /** One per column; without a header row, "col1", "col2"... */
  headers: string[]
  /** From a second header row, when the file has one. */
  units?: string[]
  columns: (ColumnPreview & { orders: string[] })[]
  guess: TimeGuess
  /** Data rows in the head, as text. */
  rows: string[][]
  /** Where data starts in the file (bytes) and its line number; meaningful for ASCII-compatible files. */
  start: { offset: number; line: number }
  /** The head holds quoted fields. */
  quoted: boolean
  /** Why the library parser must read the whole file, if it must (UTF-16, CR-only line ends). */
  slowReason?: string
  shape: string
}

/** Reads at most the head of `path` and works out its layout; `fixed` overrides what a person has set. */
export async function detectFile(path: string, fixed: Partial<CsvFormat> = {}): Promise<Detection> {
  const head = await readHead(path)
  if (head.text.trim() === '') throw new VigilError('bad-request', `${path}: the file is empty`)
  const encoding = fixed.encoding ?? head.encoding
  const text =
    encoding === head.encoding
      ? head.text
      : new TextDecoder(encoding === 'latin1' ? 'windows-1252' : encoding).decode(head.bytes)
  const delimiter = fixed.delimiter ?? detectDelimiter(text)
  let all: string[][]
  try {
    all = recordsOf(text, delimiter)
  } catch (e) {
    throw new VigilError(
      'bad-request',
      `${path}: cannot split the file's first rows: ${(e as Error).message}`,
    )
  }
  const decimal = fixed.decimal ?? detectDecimal(all.slice(0, 200), delimiter)
  const headerRows = fixed.headerRows ?? detectHeaderRows(all.slice(0, 200), decimal)
  const format: CsvFormat = { encoding, delimiter, decimal, headerRows }
  const rows = all.slice(headerRows)
  const width = headerRows > 0 ? all[0]!.length : modeWidth(rows)
  const headers = Array.from({ length: width }, (_, i) =>
    headerRows > 0 ? all[0]![i]?.trim() || `column ${i + 1}` : `col${i + 1}`,
  )
  const units = headerRows >= 2 ? headers.map((_, i) => all[1]![i]?.trim() ?? '') : undefined
  const columns = columnTypes(headers, rows.slice(0, 2000), decimal)
  const guess = guessTime(columns, rows.slice(0, 2000))
  const utf16 = encoding === 'utf-16le' || encoding === 'utf-16be'
  const crOnly = !text.includes('\n') && text.includes('\r')
  const bodyText = headerRows > 0 ? text.slice(text.indexOf('\n') + 1) : text
  return {
    head,
    format,
    headers,
    ...(units ? { units } : {}),
    columns,
    guess,
    rows,
    start: dataStart(head, headerRows),
    quoted: bodyText.includes('"'),
    ...(utf16
      ? { slowReason: `the file is ${encoding}` }
      : crOnly
        ? { slowReason: 'lines end in CR alone' }
        : {}),
    shape: shapeOf(format, headers, columns),
  }
}

function modeWidth(rows: string[][]): number {
  const counts = new Map<number, number>()
  for (const r of rows.slice(0, 500)) counts.set(r.length, (counts.get(r.length) ?? 0) + 1)
  return [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0] ?? 0
}
