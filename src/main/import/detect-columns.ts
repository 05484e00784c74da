import type { ColumnPreview, ColumnType, DateOrder, TimeSpec } from '../../shared/import.ts'
import { clockCell, dateCell, dateOrders, isEmptyCell, numberCell } from './cell-kind.ts'

/** What the time of the rows comes from, and what a person should check about it. */
export interface TimeGuess {
  time: TimeSpec
  notes: string[]
  ambiguousOrder?: { chosen: DateOrder; other: DateOrder; example: string }
}

/** Rows of a file with no time column are spaced a second apart from this instant until told otherwise. */
export const NO_TIME_START = Date.UTC(2000, 0, 1)

const TIME_NAME = /time|date|epoch|stamp|^ts$|^t$/i
const SHARE = 0.8

interface Typed extends ColumnPreview {
  orders: DateOrder[]
}

/** Each column's type by what most of its non-empty cells hold. */
export function columnTypes(headers: string[], rows: string[][], decimal: '.' | ','): Typed[] {
  return headers.map((header, column) => {
    const cells = rows.map((r) => r[column] ?? '').filter((s) => !isEmptyCell(s))
    const out: Typed = { column, header, type: 'empty', orders: [] }
    if (cells.length === 0) return out
    const need = cells.length * SHARE
    const nums = cells.map((s) => numberCell(s, decimal)).filter((x) => !Number.isNaN(x))
    if (nums.length >= need) {
      out.type = 'number'
      out.min = Math.min(...nums)
      out.max = Math.max(...nums)
      const sorted = nums.every((x, i) => i === 0 || x >= nums[i - 1]!)
      const named = TIME_NAME.test(header)
      if (sorted && (named || column === 0)) {
        if (out.min >= 1e9 && out.max < 1e10) out.type = 'epoch-s'
        else if (out.min >= 1e12 && out.max < 1e13) out.type = 'epoch-ms'
      }
      return out
    }
    const dates = cells.map(dateOrders).filter((d) => d.orders.length > 0)
    if (dates.length >= need) {
      out.type = dates.filter((d) => d.withTime).length >= need ? 'datetime' : 'date'
      out.orders = (['ymd', 'dmy', 'mdy'] as const).filter((o) => dates.every((d) => d.orders.includes(o)))
      if (out.orders.length === 0) out.type = 'text'
      return out
    }
    if (cells.filter((s) => !Number.isNaN(clockCell(s))).length >= need) out.type = 'time-of-day'
    else out.type = 'text'
    return out
  })
}

/**
 * Picks the time: a date-and-time column, else an epoch column, else a date column beside a
 * time-of-day column, else none (rows one second apart). Dates that read both day-first and
 * month-first take the order under which the rows run forward; if both do, day-first, and
 * the preview says so.
 */
export function guessTime(cols: Typed[], rows: string[][]): TimeGuess {
  const notes: string[] = []
  const pick = (c: Typed): { order: DateOrder; ambiguous?: TimeGuess['ambiguousOrder'] } => {
    if (c.orders.includes('ymd') || c.orders.length === 1) return { order: c.orders[0]! }
    const cells = rows.map((r) => r[c.column] ?? '').filter((s) => !isEmptyCell(s))
    const backwards = (o: DateOrder) =>
      cells.reduce((n, s, i) => (i > 0 && dateCell(s, o) < dateCell(cells[i - 1]!, o) ? n + 1 : n), 0)
    const dmy = backwards('dmy')
    const mdy = backwards('mdy')
    if (dmy !== mdy) {
      const order = dmy < mdy ? 'dmy' : 'mdy'
      notes.push(
        `column "${c.header}": dates like "${cells[0]}" read ${order === 'dmy' ? 'day-first' : 'month-first'}: the rows run forward in time that way`,
      )
      return { order }
    }
    const example = cells.find((s) => /\b(0?[1-9]|1[0-2])\D(0?[1-9]|1[0-2])\D/.test(s)) ?? cells[0] ?? ''
    notes.push(
      `column "${c.header}": dates like "${example}" read both day-first and month-first; chose day-first — choose month-first if that is wrong`,
    )
    return { order: 'dmy', ambiguous: { chosen: 'dmy', other: 'mdy', example } }
  }
  const dt = cols.find((c) => c.type === 'datetime')
  if (dt) {
    const { order, ambiguous } = pick(dt)
    return {
      time: { kind: 'datetime', column: dt.column, order, utcOffsetMin: 0 },
      notes,
      ambiguousOrder: ambiguous,
    }
  }
  const epoch = cols.find((c) => c.type === 'epoch-s' || c.type === 'epoch-ms')
  if (epoch) {
    notes.push(
      `column "${epoch.header}" read as ${epoch.type === 'epoch-s' ? 'seconds' : 'milliseconds'} since 1970`,
    )
    return {
      time: { kind: 'epoch', column: epoch.column, unit: epoch.type === 'epoch-s' ? 's' : 'ms' },
      notes,
    }
  }
  const date = cols.find((c) => c.type === 'date')
  const clock = cols.find((c) => c.type === 'time-of-day')
  if (date && clock) {
    const { order, ambiguous } = pick(date)
    return {
      time: { kind: 'date+time', column: date.column, timeColumn: clock.column, order, utcOffsetMin: 0 },
      notes,
      ambiguousOrder: ambiguous,
    }
  }
  notes.push(
    'no time column: rows are taken as one second apart from 2000-01-01 00:00 UTC; set the start and period',
  )
  return { time: { kind: 'none', start: NO_TIME_START, periodMs: 1000 }, notes }
}

/** The type a preview shows for a column, with the time columns named as what they are. */
export function shownType(c: Typed, time: TimeSpec): ColumnType {
  if (time.kind === 'epoch' && c.column === time.column) return time.unit === 's' ? 'epoch-s' : 'epoch-ms'
  return c.type
}
