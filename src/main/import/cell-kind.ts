import type { DateOrder } from '../../shared/import.ts'
import { isMissingToken, numberOf, NumberScanner } from './number-scan.ts'
import { TimeScanner } from './time-scan.ts'

/*
 * What one text cell holds, for detection and previews (never the import's hot path): the
 * same byte scanners the parser uses, over a scratch copy of the text, so what detection
 * calls a number is exactly what the import will read as one.
 */

let scratch = new Uint8Array(256)

/** The cell as Latin-1 bytes plus a terminator byte, in a reused buffer; returns its length. */
export function toBytes(s: string): Uint8Array {
  if (scratch.length < s.length + 1) scratch = new Uint8Array(s.length * 2 + 1)
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    scratch[i] = c < 256 ? c : 63
  }
  scratch[s.length] = 0
  return scratch
}

const dot = new NumberScanner('.')
const comma = new NumberScanner(',')
const times = new TimeScanner(true)

export const isEmptyCell = (s: string) => s.trim() === '' || isMissingToken(toBytes(s), 0, s.length)

export function numberCell(s: string, decimal: '.' | ','): number {
  return numberOf(decimal === '.' ? dot : comma, toBytes(s), 0, s.length)
}

/** Epoch ms of a date (with or without a time of day) in this order; NaN when it is not one. */
export function dateCell(s: string, order: DateOrder, utcOffsetMin = 0): number {
  const t = s.trim()
  const b = toBytes(t)
  const ms = times.dateTime(b, 0, t.length, order, utcOffsetMin)
  return times.end === t.length ? ms : NaN
}

/** Milliseconds since midnight of "hh:mm[:ss[.fff]] [AM|PM]"; NaN when it is not one. */
export function clockCell(s: string): number {
  const t = s.trim()
  const ms = times.clock(toBytes(t), 0, t.length)
  return times.end === t.length ? ms : NaN
}

export const ORDERS: readonly DateOrder[] = ['ymd', 'dmy', 'mdy']

/** The orders a date cell reads in, and whether it carries a time of day. */
export function dateOrders(s: string): { orders: DateOrder[]; withTime: boolean } {
  const orders = ORDERS.filter((o) => !Number.isNaN(dateCell(s, o)))
  return { orders, withTime: orders.length > 0 && s.includes(':') }
}

/** A cell that reads as a number or a date in some way: detection's measure of a good split. */
export function isTypedCell(s: string): boolean {
  if (s.trim() === '') return true
  if (!Number.isNaN(numberCell(s, '.')) || !Number.isNaN(numberCell(s, ','))) return true
  return dateOrders(s).orders.length > 0 || !Number.isNaN(clockCell(s))
}
