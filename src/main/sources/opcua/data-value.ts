import { Q } from '../../../shared/quality.ts'

/** The part of node-opcua's DataValue read here (a structural type, so tests need no server). */
export interface DataValueLike {
  value: { value: unknown } | null
  statusCode: { value: number } | null
  sourceTimestamp: Date | null
  serverTimestamp: Date | null
}

/** StatusCode's InfoBits: the server's queue for this item overflowed, so values were dropped. */
export const OVERFLOW_BIT = 0x80
const INFO_TYPE_DATAVALUE = 0x400

/**
 * Sample quality of an OPC UA status: the top two bits are its severity. Good is good;
 * Uncertain (the sensor is not accurate, a last usable value, a substituted value) keeps the
 * value and flags it UNCERTAIN; Bad (and the reserved severity 11) carries no usable value,
 * so the value is dropped and marked MISSING, as a gap would be.
 */
export function qualityOfStatus(code: number): number {
  const severity = code >>> 30
  if (severity === 0) return Q.GOOD
  if (severity === 1) return Q.UNCERTAIN
  return Q.MISSING
}

/** The server dropped values of this item from its queue (the Overflow info bit of a DataValue status). */
export const overflowed = (code: number) => (code & INFO_TYPE_DATAVALUE) !== 0 && (code & OVERFLOW_BIT) !== 0

/**
 * A variant's value as a number: numbers, booleans (0/1), 64-bit integers (node-opcua's
 * [high, low] pairs, or bigint). Anything else (text, arrays, structures) is NaN.
 */
export function numberOf(v: unknown): number {
  if (typeof v === 'number') return v
  if (typeof v === 'boolean') return v ? 1 : 0
  if (typeof v === 'bigint') return Number(v)
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number') {
    const hi = v[0] | 0
    return hi * 4294967296 + (v[1] >>> 0)
  }
  return NaN
}

/** A value's time: the device's (falling back to the server's), or the server's; else when it arrived. */
export function timeOf(dv: DataValueLike, server: boolean, now: number): number {
  const ts = server ? dv.serverTimestamp : (dv.sourceTimestamp ?? dv.serverTimestamp)
  const ms = ts ? ts.getTime() : NaN
  return ms === ms ? ms : now
}
