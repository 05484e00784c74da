import type { CsvTable } from '../models/fit/csv-table.ts'

/** A number as `vigil score` writes it: 7 significant digits, NaN spelled out. */
export const num = (v: number) => (Number.isNaN(v) ? 'NaN' : String(Number(v.toPrecision(7))))

/** A CSV field, quoted when it holds a comma, a quote or a line break. */
export const field = (s: string) => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s)

/** Row i's value of column j as text: the raw text for a text column, the number otherwise. */
export function cell(t: CsvTable, j: number, i: number): string {
  const text = t.text[j]
  return text ? text[i]! : String(t.numbers[j]![i]!)
}

/** Rows of each value of column g in file order; g < 0: the whole file is one group. */
export function groupRows(t: CsvTable, g: number): Map<string, number[]> {
  const groups = new Map<string, number[]>()
  for (let i = 0; i < t.rows; i++) {
    const key = g < 0 ? '' : cell(t, g, i)
    let rows = groups.get(key)
    if (!rows) groups.set(key, (rows = []))
    rows.push(i)
  }
  return groups
}
