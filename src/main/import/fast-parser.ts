import type { BadRowReason, DateOrder } from '../../shared/import.ts'
import { isBlank, isMissingToken, numberOf, NumberScanner, POW10 } from './number-scan.ts'
import { Role, type ParsePlan } from './parse-plan.ts'
import type { RowSink } from './row-sink.ts'
import { TimeScanner } from './time-scan.ts'

const LF = 10
const CR = 13
const SP = 32
const TAB = 9
const QUOTE = 34
const ZERO = 48
const NINE = 57
const MINUS = 45
const latin1 = new TextDecoder('latin1')

/** How a row's time is made, decided once per file rather than per row. */
const TimeKind = { NONE: 0, DATETIME: 1, DATE_AND_CLOCK: 2, EPOCH_S: 3, EPOCH_MS: 4 } as const

/**
 * The byte-level parser for the common file: unquoted fields, an ASCII-compatible encoding.
 * It parses numbers and times as it scans (number-scan.ts, time-scan.ts) into the sink's
 * columns, allocating nothing per row. Only complete rows are parsed; `parse` returns where
 * the first incomplete one starts, and the caller carries those bytes into the next read.
 * A quote at the start of a field stops it (`quoteAt`): the caller hands the rest of the
 * file to the library parser, which knows every quoting rule.
 */
export class FastParser {
  /** File line of the next row. */
  line: number
  /** Where the row holding a quoted field starts, or -1. */
  quoteAt = -1
  private readonly plan: ParsePlan
  private readonly sink: RowSink
  private readonly num: NumberScanner
  private readonly dec: number
  private readonly time: TimeScanner
  private readonly timeKind: number
  private readonly order: DateOrder
  private readonly offsetMin: number
  private readonly start: number
  private readonly period: number

  constructor(plan: ParsePlan, sink: RowSink, firstLine: number) {
    this.plan = plan
    this.sink = sink
    this.line = firstLine
    this.num = new NumberScanner(plan.decimal)
    this.dec = plan.decimal.charCodeAt(0)
    this.time = new TimeScanner(plan.delimiter !== 44)
    const t = plan.time
    this.timeKind =
      t.kind === 'none'
        ? TimeKind.NONE
        : t.kind === 'datetime'
          ? TimeKind.DATETIME
          : t.kind === 'date+time'
            ? TimeKind.DATE_AND_CLOCK
            : t.unit === 's'
              ? TimeKind.EPOCH_S
              : TimeKind.EPOCH_MS
    this.order = t.kind === 'datetime' || t.kind === 'date+time' ? t.order : 'ymd'
    this.offsetMin = t.kind === 'datetime' || t.kind === 'date+time' ? t.utcOffsetMin : 0
    this.start = t.kind === 'none' ? t.start : 0
    this.period = t.kind === 'none' ? t.periodMs : 0
  }

  /**
   * Parses the rows of buf[from, end), which must end with a line feed (the caller cuts its
   * reads at the last one). Returns where it stopped: `end`, or the start of the row holding
   * a quote (`quoteAt`), or the row after a bad one in abort mode (`sink.stopped`).
   */
  parse(buf: Uint8Array, from: number, end: number): number {
    const { roles, width, whitespace: ws } = this.plan
    const DEC = this.dec
    const D = this.plan.delimiter
    const sink = this.sink
    const num = this.num
    const k = this.timeKind
    let p = from
    rows: while (p < end) {
      const rowStart = p
      let c = buf[p]!
      if (ws) while (c === SP || c === TAB) c = buf[++p]!
      if (c === LF || c === CR) {
        // An empty line: skipped, but it still has a number.
        p += c === CR && buf[p + 1] === LF ? 2 : 1
        this.line++
        continue
      }
      const n = sink.n
      const vs = sink.v
      let col = 0
      let t = NaN
      let clock = 0
      for (;;) {
        const fs = p
        c = buf[p]!
        if (c === QUOTE) {
          this.quoteAt = rowStart
          return rowStart
        }
        const role = col < width ? roles[col]! : Role.SKIP
        if (role >= 0) {
          // Most fields are [-]digits[.digits] then a separator: read here, without a call.
          let c1 = buf[p]!
          const neg = c1 === MINUS
          if (neg) c1 = buf[++p]!
          const d0 = p
          // Small integers while the mantissa fits 9 digits (int arithmetic), doubles after.
          let m = 0
          while (c1 >= ZERO && c1 <= NINE && p - d0 < 9) {
            m = (m * 10 + (c1 - ZERO)) | 0
            c1 = buf[++p]!
          }
          while (c1 >= ZERO && c1 <= NINE) {
            m = m * 10 + (c1 - ZERO)
            c1 = buf[++p]!
          }
          let digits = p - d0
          let frac = 0
          if (c1 === DEC) {
            const f0 = ++p
            c1 = buf[p]!
            while (c1 >= ZERO && c1 <= NINE && digits + p - f0 < 9) {
              m = (m * 10 + (c1 - ZERO)) | 0
              c1 = buf[++p]!
            }
            while (c1 >= ZERO && c1 <= NINE) {
              m = m * 10 + (c1 - ZERO)
              c1 = buf[++p]!
            }
            frac = p - f0
            digits += frac
          }
          if (digits > 0 && digits <= 15 && (c1 === D || c1 === LF || c1 === CR || (ws && c1 === TAB))) {
            const v = frac > 0 ? m / POW10[frac]! : m
            vs[role]![n] = neg ? -v : v
          } else {
            p = fs
            const x = num.at(buf, p)
            p = num.end
            c = buf[p]!
            // x - x === 0: finite. A number past the largest double (1e309) has no value to store.
            if (p > fs && x - x === 0 && (c === D || c === LF || c === CR || (ws && c === TAB)))
              vs[role]![n] = x
            else {
              p = this.fieldEnd(buf, fs)
              const y = numberOf(num, buf, fs, p)
              if (y - y === 0) vs[role]![n] = y
              else if (y !== y && isMissingToken(buf, fs, p)) vs[role]![n] = NaN
              else {
                const why = y === y ? 'is beyond the range of a number' : 'is not a number'
                p = this.fail(buf, p, 'number', col, fs, why)
                if (sink.stopped) return p
                continue rows
              }
            }
          }
        } else if (role === Role.TIME) {
          while (buf[p] === SP || buf[p] === TAB) p++
          const at = p
          if (k === TimeKind.EPOCH_S || k === TimeKind.EPOCH_MS) {
            const x = num.at(buf, p)
            t = k === TimeKind.EPOCH_S ? x * 1000 : x
            p = num.end
          } else {
            t = this.time.dateTime(buf, p, end, this.order, this.offsetMin)
            p = t === t ? this.time.end : at
          }
          const stop = p
          p = this.fieldEnd(buf, stop)
          // t - t !== 0: NaN or an epoch past the largest double; the store keeps finite times only.
          if (t - t !== 0 || stop === at || !isBlank(buf, stop, p)) {
            p = this.fail(buf, p, 'time', col, fs, 'is not a time in the expected format')
            if (sink.stopped) return p
            continue rows
          }
        } else if (role === Role.CLOCK) {
          while (buf[p] === SP || buf[p] === TAB) p++
          clock = this.time.clock(buf, p, end)
          const stop = clock === clock ? this.time.end : p
          p = this.fieldEnd(buf, stop)
          if (clock !== clock || !isBlank(buf, stop, p)) {
            p = this.fail(buf, p, 'time', col, fs, 'is not a time of day (hh:mm:ss)')
            if (sink.stopped) return p
            continue rows
          }
        } else p = this.fieldEnd(buf, p)
        col++
        c = buf[p]!
        if (ws && (c === SP || c === TAB)) {
          while (c === SP || c === TAB) c = buf[++p]!
          if (c !== LF && c !== CR) continue
        } else if (c === D) {
          p++
          continue
        }
        // The row ends at a line feed, a CR LF, or a lone CR.
        p += c === CR && buf[p + 1] === LF ? 2 : 1
        break
      }
      const line = this.line++
      if (col !== width) {
        sink.reject(line, 'columns', `has ${col} fields; the file's rows have ${width}`)
      } else {
        sink.t[n] =
          k === TimeKind.NONE
            ? this.start + sink.seen * this.period
            : k === TimeKind.DATE_AND_CLOCK
              ? t + clock
              : t
        sink.keep(line)
      }
      if (sink.stopped) return p
    }
    return p
  }

  /** Index of the separator or line end closing the field at p. */
  private fieldEnd(buf: Uint8Array, p: number): number {
    const D = this.plan.delimiter
    const ws = this.plan.whitespace
    for (;;) {
      const c = buf[p]!
      if (c === D || c === LF || c === CR || (ws && c === TAB)) return p
      p++
    }
  }

  /** Rejects the row whose bad field is buf[fs, fe); returns where the next row starts. */
  private fail(
    buf: Uint8Array,
    fe: number,
    reason: BadRowReason,
    col: number,
    fs: number,
    why: string,
  ): number {
    let p = fe
    while (buf[p] !== LF) p++
    const line = this.line++
    const header = this.plan.headers[col] ?? `column ${col + 1}`
    const value = latin1.decode(buf.subarray(fs, fe)).trim()
    this.sink.reject(line, reason, `column "${header}": "${value}" ${why}`, header, value)
    return p + 1
  }
}
