import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { VigilError } from '../../../shared/errors.ts'

/*
 * A whole data file in memory as columns, for fitting and offline scoring (`vigil fit`,
 * `vigil score`, the benchmark evaluations). Streams the file line by line; numbers go
 * straight into growing Float64Arrays, and only text columns (a timestamp) keep strings.
 * The delimiter is guessed from the first line (`;` `,` tab, else runs of spaces, as in
 * C-MAPSS and TEP); a first line that is all numbers is data, and the columns are then
 * named col1, col2, ... The importer in src/main/import is the tool for large files into
 * history; this reader serves files that fit in memory.
 */

export interface CsvTable {
  path: string
  header: string[]
  rows: number
  /** Per column: its numbers (NaN where empty or a missing token), or null for a text column. */
  numbers: (Float64Array | null)[]
  /** Per column: its raw text, for text columns only. */
  text: (string[] | null)[]
}

const MISSING = new Set(['', 'na', 'nan', 'n/a', 'null', 'none', '-', '?'])
const TIME_NAMES = /^(time|timestamp|datetime|date|date_time|t)$/i

type Split = (line: string) => string[]

function splitterFor(first: string): { split: Split; name: string } {
  const counts = [';', ',', '\t'].map((d) => [d, first.split(d).length - 1] as const)
  const [d, c] = counts.reduce((a, b) => (b[1] > a[1] ? b : a))
  if (c === 0) return { split: (l) => l.trim().split(/[ \t]+/), name: 'whitespace' }
  return {
    name: d,
    split: (l) => {
      if (!l.includes('"')) return l.split(d)
      // Quoted fields (a delimiter or "" inside quotes): rare in sensor exports, handled plainly.
      const out: string[] = []
      let cur = ''
      let quoted = false
      for (let i = 0; i < l.length; i++) {
        const ch = l[i]!
        if (quoted) {
          if (ch === '"' && l[i + 1] === '"') {
            cur += '"'
            i++
          } else if (ch === '"') quoted = false
          else cur += ch
        } else if (ch === '"') quoted = true
        else if (ch === d) {
          out.push(cur)
          cur = ''
        } else cur += ch
      }
      out.push(cur)
      return out
    },
  }
}

/** A field as a number: NaN for a missing token, undefined for text. */
function numberOf(field: string, commaDecimal: boolean): number | undefined {
  const s = field.trim()
  if (MISSING.has(s.toLowerCase())) return NaN
  const v = Number(commaDecimal ? s.replace(',', '.') : s)
  return Number.isNaN(v) ? undefined : v
}

export async function readCsvTable(path: string): Promise<CsvTable> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity })
  let header: string[] | null = null
  let split: Split = () => []
  let commaDecimal = false
  let numbers: (Float64Array | null)[] = []
  let text: (string[] | null)[] = []
  let rows = 0
  let line = 0
  try {
    for await (const raw of lines) {
      line++
      const l = line === 1 ? raw.replace(/^\uFEFF/, '') : raw
      if (l.trim() === '') continue
      if (!header) {
        const sp = splitterFor(l)
        split = sp.split
        commaDecimal = sp.name === ';'
        const fields = split(l)
        if (fields.every((f) => numberOf(f, commaDecimal) !== undefined)) {
          header = fields.map((_, j) => `col${j + 1}`)
        } else {
          header = fields.map((f) => f.trim())
          continue
        }
      }
      const fields = split(l)
      if (fields.length !== header.length)
        throw new VigilError(
          'bad-request',
          `${path}:${line}: ${fields.length} fields, but the header has ${header.length} columns`,
        )
      if (rows === 0) {
        // The first data row decides each column's type: a field that is not a number makes it text.
        numbers = fields.map((f) => (numberOf(f, commaDecimal) === undefined ? null : new Float64Array(1024)))
        text = numbers.map((c) => (c ? null : []))
      }
      for (let j = 0; j < fields.length; j++) {
        const col = numbers[j]
        if (!col) {
          text[j]!.push(fields[j]!)
          continue
        }
        const v = numberOf(fields[j]!, commaDecimal)
        if (v === undefined)
          throw new VigilError(
            'bad-request',
            `${path}:${line}: column "${header[j]}" is not a number: "${fields[j]!.trim()}"`,
          )
        if (rows === col.length) {
          const grown = new Float64Array(col.length * 2)
          grown.set(col)
          numbers[j] = grown
        }
        numbers[j]![rows] = v
      }
      rows++
    }
  } catch (e) {
    if (e instanceof VigilError) throw e
    throw new VigilError('bad-request', `${path}: cannot read it: ${(e as Error).message}`)
  } finally {
    lines.close()
  }
  if (!header || rows === 0) throw new VigilError('bad-request', `${path}: no data rows`)
  return { path, header, rows, numbers: numbers.map((c) => (c ? c.slice(0, rows) : null)), text }
}

/** The column holding each row's time: one named like a time, else the first text column; -1 if none. */
export function timeColumn(t: CsvTable, except = -1): number {
  const named = t.header.findIndex((h, j) => j !== except && TIME_NAMES.test(h))
  return named >= 0 ? named : t.numbers.findIndex((c, j) => j !== except && c === null)
}

/** The numbers of a named column, or a clear error naming the file and the columns it has. */
export function numericColumn(t: CsvTable, name: string): Float64Array {
  const j = t.header.indexOf(name)
  if (j < 0)
    throw new VigilError(
      'bad-request',
      `${t.path}: no column "${name}" (it has ${t.header.map((h) => `"${h}"`).join(', ')})`,
    )
  const col = t.numbers[j]
  if (!col) throw new VigilError('bad-request', `${t.path}: column "${name}" holds text, not numbers`)
  return col
}
