import fc from 'fast-check'
import type { BadRowReason, ImportMapping } from '../../shared/import.ts'

/*
 * Hostile CSV files for the import fuzzer (import.fuzz.test.ts), in two kinds:
 * - `sensorLog`: a time column and three value columns, each line drawn from a recipe (a good
 *   row, a missing value, a cell that is no number, an overflowing or huge one, a bad or far
 *   date, time going back, a wrong field count, junk bytes, a blank line). Built line by line
 *   beside the outcome the import must give under a fixed mapping: which rows are stored with
 *   which time and values, and which lines are reported bad for which reason.
 * - `anyFile`: bytes with no promise at all (random bytes, mixed encodings, a BOM, unbalanced
 *   quotes, one huge line), imported with whatever layout detection finds.
 */

const T0 = Date.UTC(2024, 0, 1)
const TAGS = ['a', 'b', 'c'] as const

/** "2024-01-01 00:00:00.000" for epoch ms t (years 0000 to 9999). */
const stamp = (t: number) => new Date(t).toISOString().replace('T', ' ').replace('Z', '')

export interface ExpectedRow {
  t: number
  values: number[]
}

export interface SensorLog {
  bytes: Uint8Array
  /** Rows the history must hold afterwards, in file order. */
  rows: ExpectedRow[]
  /** Bad lines by line number (1 = the header); reason null where several would be right. */
  bad: { line: number; reason: BadRowReason | null }[]
}

type Recipe =
  | { k: 'good'; stepMs: number; cells: { text: string; value: number }[] }
  | { k: 'number'; col: number; text: string }
  | { k: 'time'; text: string }
  | { k: 'far'; text: string; t: number }
  | { k: 'backwards'; ms: number }
  | { k: 'columns'; extra: boolean }
  | { k: 'junk'; text: string }
  | { k: 'blank' }

const finite = fc.double({ min: -1e12, max: 1e12, noNaN: true, noDefaultInfinity: true })
/** A value as loggers write it, and the number it stands for. */
const valueCell = fc.oneof(
  // The value is what the text says: String(-0) is "0", which stands for +0.
  finite.map((v) => ({ text: String(v), value: Number(String(v)) })),
  fc.tuple(finite, fc.integer({ min: 0, max: 8 })).map(([v, d]) => {
    const text = v.toFixed(d)
    return { text, value: Number(text) }
  }),
  fc.tuple(finite, fc.integer({ min: 1, max: 16 })).map(([v, d]) => {
    const text = v.toExponential(d)
    return { text, value: Number(text) }
  }),
  fc.integer().map((v) => ({ text: String(v), value: v })),
  // Spreadsheet and logger spellings of "no value": stored as a missing sample.
  fc.constantFrom('', 'NaN', 'nan', 'NA', 'null', '-', '#N/A').map((text) => ({ text, value: NaN })),
)
const notANumber = fc.oneof(
  fc.constantFrom('Inf', '-Infinity', 'abc', '1.2.3', '0x10', '--5', '1e', '\u00e9', '\u00ff\u00fe'),
  // Past the largest double: no finite value to store.
  fc.constantFrom('1e309', '-1e400', '1' + '0'.repeat(400)),
  // One huge line: a cell of some hundred kilobytes.
  fc.integer({ min: 50_000, max: 300_000 }).map((n) => 'x'.repeat(n)),
  fc.integer({ min: 50_000, max: 300_000 }).map((n) => '9'.repeat(n)),
)
const recipe: fc.Arbitrary<Recipe> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      k: fc.constant('good' as const),
      stepMs: fc.integer({ min: 0, max: 5000 }),
      cells: fc.array(valueCell, { minLength: 3, maxLength: 3 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('number' as const),
      col: fc.integer({ min: 0, max: 2 }),
      text: notANumber,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('time' as const),
      text: fc.constantFrom(
        '2024-02-30 25:61:00',
        'yesterday',
        '',
        '99999-01-01 00:00:00',
        '2024-13-01 00:00:00',
        '1e309',
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      { k: 'far' as const, text: '0000-01-01 00:00:00', t: Date.parse('0000-01-01T00:00:00Z') },
      { k: 'far' as const, text: '9999-12-30 00:00:00', t: Date.parse('9999-12-30T00:00:00Z') },
      { k: 'far' as const, text: '1899-12-31 00:00:00', t: Date.parse('1899-12-31T00:00:00Z') },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record({ k: fc.constant('backwards' as const), ms: fc.integer({ min: 1, max: 1e9 }) }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('columns' as const), extra: fc.boolean() }) },
  {
    weight: 1,
    // Bytes with no separator, quote or line end: one field, so never a good row.
    arbitrary: fc.array(fc.integer({ min: 1, max: 255 }), { minLength: 1, maxLength: 40 }).map((b) => ({
      k: 'junk' as const,
      text: String.fromCharCode(...b.filter((x) => ![10, 13, 44, 34].includes(x))) || '?',
    })),
  },
  { weight: 1, arbitrary: fc.constant({ k: 'blank' as const }) },
)

/** Latin-1 text to bytes one for one, so a cell of 0xE9 stays one byte that is not UTF-8. */
const bytesOf = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff)

export const sensorLog: fc.Arbitrary<SensorLog> = fc
  .tuple(fc.array(recipe, { maxLength: 60 }), fc.constantFrom('\n', '\r\n'), fc.boolean())
  .map(([recipes, nl, bom]) => {
    const lines = [`time,${TAGS.join(',')}`]
    const rows: ExpectedRow[] = []
    const bad: SensorLog['bad'] = []
    let last = -Infinity
    let next = T0
    const good = (t: number, cells: { text: string; value: number }[]) => {
      lines.push([stamp(t), ...cells.map((c) => c.text)].join(','))
      rows.push({ t, values: cells.map((c) => c.value) })
      last = t
    }
    const badLine = (text: string, reason: BadRowReason | null) => {
      lines.push(text)
      bad.push({ line: lines.length, reason })
    }
    const ok = ['1', '2', '3']
    for (const r of recipes) {
      if (r.k === 'good') {
        next = Math.max(next, last) + r.stepMs
        good(next, r.cells)
      } else if (r.k === 'number') {
        const cells = [...ok]
        cells[r.col] = r.text
        badLine([stamp(next), ...cells].join(','), 'number')
      } else if (r.k === 'time') badLine([r.text, ...ok].join(','), 'time')
      else if (r.k === 'far') {
        if (r.t < last) badLine([r.text, ...ok].join(','), 'backwards')
        else
          good(
            r.t,
            ok.map((text) => ({ text, value: Number(text) })),
          )
      } else if (r.k === 'backwards') {
        if (last === -Infinity || last - r.ms < Date.parse('0000-01-01T00:00:00Z')) continue
        badLine([stamp(last - r.ms), ...ok].join(','), 'backwards')
      } else if (r.k === 'columns')
        badLine([stamp(next), ...(r.extra ? [...ok, '4'] : ok.slice(1))].join(','), 'columns')
      else if (r.k === 'junk') badLine(r.text, null)
      else lines.push('')
    }
    const text = lines.join(nl) + nl
    const body = bytesOf(text)
    return { bytes: bom ? new Uint8Array([0xef, 0xbb, 0xbf, ...body]) : body, rows, bad }
  })

/** The mapping a person would confirm for a sensor log: UTF-8, comma, ISO times in UTC. */
export function sensorLogMapping(assetId: string): ImportMapping {
  return {
    version: 1,
    shape: 'fuzz-sensor-log',
    assetId,
    format: { encoding: 'utf-8', delimiter: ',', decimal: '.', headerRows: 1 },
    time: { kind: 'datetime', column: 0, order: 'ymd', utcOffsetMin: 0 },
    columns: TAGS.map((tag, i) => ({ column: i + 1, source: tag, tag, unit: '' })),
  }
}

const anyCell = fc.oneof(
  fc.constantFrom(
    'NaN',
    'Inf',
    '-Infinity',
    '1e309',
    '',
    '"',
    '""',
    '"a,b"',
    '"unclosed',
    '\u00e9',
    '\u0000',
  ),
  fc.constantFrom('2024-02-30 25:61:00', '0000-01-01', '9999-12-31T23:59:59Z', '1e20', '-0', '1,5', '1.5'),
  fc.integer({ min: 1_600_000_000, max: 1_800_000_000 }).map(String),
  fc.double().map(String),
  fc.string({ maxLength: 12 }),
)
const anyText = fc
  .tuple(
    fc.array(fc.array(anyCell, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 40 }),
    fc.constantFrom(',', ';', '\t'),
    fc.constantFrom('\n', '\r\n', '\r'),
  )
  .map(([rows, d, nl]) => ['time,x,y', ...rows.map((r) => r.join(d))].join(nl))

/** Any bytes at all: text in mixed encodings with or without a BOM, raw bytes, one huge line. */
export const anyFile: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('', '\ufeff'),
      anyText,
      fc.constantFrom('utf8', 'latin1', 'utf16le') as fc.Arbitrary<BufferEncoding>,
    )
    .map(([bom, t, enc]) => new Uint8Array(Buffer.from(bom + t, enc))),
  fc.uint8Array({ minLength: 1, maxLength: 2000 }),
  fc
    .tuple(fc.uint8Array({ maxLength: 200 }), anyText)
    .map(([junk, t]) => new Uint8Array([...Buffer.from(t, 'utf8'), 10, ...junk])),
  fc
    .integer({ min: 1, max: 400_000 })
    .map((n) => new Uint8Array(Buffer.from(`time,a\n2024-01-01 00:00:00,${'7'.repeat(n)}\n`))),
)
