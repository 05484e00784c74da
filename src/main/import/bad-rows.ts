import type { BadRow, BadRowReason, ImportReport } from '../../shared/import.ts'

/**
 * The reasons in report order, held to the shared list by the Record's type rather than by
 * importing it: that would load zod into the parsing thread, ~200 ms of CPU at its start.
 */
const REASONS = Object.keys({
  columns: 0,
  number: 0,
  time: 0,
  backwards: 0,
} satisfies Record<BadRowReason, 0>) as BadRowReason[]

/** Rows kept in full; past this only the counts grow, so a file of garbage stays in bounded memory. */
export const BAD_ROWS_KEPT = 10_000

/** The bad rows of one file: every one counted by reason, the first BAD_ROWS_KEPT in full. */
export class BadRowLog {
  readonly rows: BadRow[] = []
  readonly byReason: Record<BadRowReason, number> = { columns: 0, number: 0, time: 0, backwards: 0 }
  total = 0
  private readonly file: string

  constructor(file: string) {
    this.file = file
  }

  add(line: number, reason: BadRowReason, message: string, column?: string, value?: string): BadRow {
    this.total++
    this.byReason[reason]++
    const row: BadRow = { line, reason, message: `${this.file}:${line}: ${message}` }
    if (column !== undefined) row.column = column
    if (value !== undefined) row.value = value.length > 80 ? `${value.slice(0, 77)}...` : value
    if (this.rows.length < BAD_ROWS_KEPT) this.rows.push(row)
    return row
  }

  get truncated(): boolean {
    return this.total > this.rows.length
  }
}

const cell = (s: string | number | undefined) => {
  const text = s === undefined ? '' : String(s)
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** The report as CSV a spreadsheet opens: a summary in comment-free header rows, then one row per bad row. */
export function reportCsv(r: ImportReport): string {
  const lines = [
    'file,asset,state,rows_imported,rows_rejected,columns,number,time,backwards,truncated',
    [
      r.file,
      r.assetId,
      r.state,
      r.rows,
      r.rejected,
      ...REASONS.map((k) => r.byReason[k]),
      r.truncated ? 'yes' : 'no',
    ]
      .map(cell)
      .join(','),
    '',
    'file,line,reason,column,value,message',
    ...r.badRows.map((b) => [r.file, b.line, b.reason, b.column, b.value, b.message].map(cell).join(',')),
  ]
  return `${lines.join('\n')}\n`
}
