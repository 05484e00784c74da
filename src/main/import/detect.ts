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
  const encoding = fixed.encoding ?? head.encoding
  const text = textOf(head, encoding)
  const delimiter = fixed.delimiter ?? detectDelimiter(text)
  const all = splitHead(path, text, delimiter)
  const decimal = fixed.decimal ?? detectDecimal(all.slice(0, 200), delimiter)
  const headerRows = fixed.headerRows ?? detectHeaderRows(all.slice(0, 200), decimal)
  const format: CsvFormat = { encoding, delimiter, decimal, headerRows }
  const rows = all.slice(headerRows)
  const headers = headersOf(all, headerRows)
  const units = headerRows >= 2 ? headers.map((_, i) => all[1]![i]?.trim() ?? '') : undefined
  const columns = columnTypes(headers, rows.slice(0, 2000), decimal)
  const guess = guessTime(columns, rows.slice(0, 2000))
  const slowReason = slowReasonOf(encoding, text)
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
    ...(slowReason ? { slowReason } : {}),
    shape: shapeOf(format, headers, columns),
  }
}

/** Rows that settle a file's width when it has no header row. */
const WIDTH_ROWS = 500

/**
 * What an import needs of a file whose format is already known (the mapping's): its header,
 * where its data starts, and whether the byte parser can read it. The same answers as
 * detectFile with that format, without splitting the whole head and typing its columns,
 * which an import does not use and which cost as much as parsing ~50k of its rows.
 */
export async function locateData(
  path: string,
  format: CsvFormat,
): Promise<Pick<Detection, 'headers' | 'start' | 'slowReason'>> {
  const head = await readHead(path)
  const text = textOf(head, format.encoding)
  // csv-parse counts lines, not records: a quoted header spanning lines still fits in these.
  const all = splitHead(path, text, format.delimiter, format.headerRows + WIDTH_ROWS)
  const slowReason = slowReasonOf(format.encoding, text)
  return {
    headers: headersOf(all, format.headerRows),
    start: dataStart(head, format.headerRows),
    ...(slowReason ? { slowReason } : {}),
  }
}

/** The head as text in `encoding` (which a person may have set over the sniffed one). */
function textOf(head: FileHead, encoding: CsvFormat['encoding']): string {
  if (head.text.trim() === '') throw new VigilError('bad-request', `${head.path}: the file is empty`)
  return encoding === head.encoding
    ? head.text
    : new TextDecoder(encoding === 'latin1' ? 'windows-1252' : encoding).decode(head.bytes)
}

function splitHead(
  path: string,
  text: string,
  delimiter: CsvFormat['delimiter'],
  toLine?: number,
): string[][] {
  try {
    return recordsOf(text, delimiter, toLine)
  } catch (e) {
    throw new VigilError(
      'bad-request',
      `${path}: cannot split the file's first rows: ${(e as Error).message}`,
    )
  }
}

/** One name per column; without a header row, "col1", "col2"... as wide as most rows. */
function headersOf(all: string[][], headerRows: number): string[] {
  const width = headerRows > 0 ? (all[0]?.length ?? 0) : modeWidth(all)
  return Array.from({ length: width }, (_, i) =>
    headerRows > 0 ? all[0]![i]?.trim() || `column ${i + 1}` : `col${i + 1}`,
  )
}

function slowReasonOf(encoding: CsvFormat['encoding'], text: string): string | undefined {
  if (encoding === 'utf-16le' || encoding === 'utf-16be') return `the file is ${encoding}`
  if (!text.includes('\n') && text.includes('\r')) return 'lines end in CR alone'
  return undefined
}

function modeWidth(rows: string[][]): number {
  const counts = new Map<number, number>()
  for (const r of rows.slice(0, WIDTH_ROWS)) counts.set(r.length, (counts.get(r.length) ?? 0) + 1)
  return [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0] ?? 0
}
