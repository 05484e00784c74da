import { VigilError } from '../../shared/errors.ts'
import type { ImportMapping, TimeSpec } from '../../shared/import.ts'

/** What a parser does with each field of a row, by its column. */
export const Role = { SKIP: -1, TIME: -2, CLOCK: -3 } as const

/** A mapping compiled for the parsers: per column a role (>= 0: the value column it fills). */
export interface ParsePlan {
  roles: Int32Array
  /** Fields every row must have. */
  width: number
  /** Header text per column, for messages. */
  headers: string[]
  /** Tag id per value column, in the order batches carry them. */
  tags: string[]
  /** Per value column, its valid range (+-Infinity when the mapping gives none). */
  lo: Float64Array
  hi: Float64Array
  time: TimeSpec
  decimal: '.' | ','
  /** The separator byte; whitespace files use space and also split on tabs and runs. */
  delimiter: number
  whitespace: boolean
}

/** Compiles a mapping for a file whose header row reads `headers` (one per column). */
export function planOf(m: ImportMapping, headers: string[], file: string): ParsePlan {
  const width = headers.length
  const roles = new Int32Array(width).fill(Role.SKIP)
  const where = (c: number, what: string) => {
    if (c >= width)
      throw new VigilError(
        'bad-request',
        `${file}: the mapping's ${what} is column ${c + 1}, but the file has ${width} columns`,
      )
  }
  const t = m.time
  if (t.kind !== 'none') {
    where(t.column, 'time')
    roles[t.column] = Role.TIME
  }
  if (t.kind === 'date+time') {
    where(t.timeColumn, 'time-of-day')
    roles[t.timeColumn] = Role.CLOCK
  }
  const tags: string[] = []
  const lo: number[] = []
  const hi: number[] = []
  for (const c of m.columns) {
    if (c.tag === null) continue
    where(c.column, `column for tag "${c.tag}"`)
    if (roles[c.column] !== Role.SKIP)
      throw new VigilError('bad-request', `${file}: column ${c.column + 1} is mapped twice`)
    if (tags.includes(c.tag))
      throw new VigilError('bad-request', `${file}: tag "${c.tag}" is fed by two columns`)
    const header = headers[c.column]!
    if (m.format.headerRows > 0 && c.source !== '' && c.source !== header)
      throw new VigilError(
        'bad-request',
        `${file}: column ${c.column + 1} is "${header}" but the mapping expects "${c.source}": the file's columns differ from the mapping's`,
      )
    roles[c.column] = tags.length
    tags.push(c.tag)
    lo.push(c.min ?? -Infinity)
    hi.push(c.max ?? Infinity)
  }
  if (tags.length === 0) throw new VigilError('bad-request', `${file}: the mapping maps no column to a tag`)
  const ws = m.format.delimiter === 'whitespace'
  return {
    roles,
    width,
    headers,
    tags,
    lo: Float64Array.from(lo),
    hi: Float64Array.from(hi),
    time: t,
    decimal: m.format.decimal,
    delimiter: ws ? 32 : m.format.delimiter.charCodeAt(0),
    whitespace: ws,
  }
}
