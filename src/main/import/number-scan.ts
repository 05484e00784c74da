/*
 * Numbers straight from bytes. Converting text to numbers, not splitting it, is what costs in
 * a CSV import, so the parser reads digits into a double as it scans them and never makes a
 * string. Exact: with at most 15 significant digits the mantissa is an exact double, and so
 * is 10^k for k <= 22, so one multiplication or division rounds correctly (Clinger's fast
 * path); anything longer goes to Number() on the field's text.
 */

export const POW10 = Float64Array.from({ length: 23 }, (_, i) => 10 ** i)

const MINUS = 45
const PLUS = 43
const ZERO = 48
const NINE = 57
const LOWER_E = 101
const UPPER_E = 69
const SPACE = 32
const TAB = 9

/** Reads one number at a time; `end` is where the last one stopped. One per parser, reused. */
export class NumberScanner {
  end = 0
  private readonly decimal: number

  constructor(decimal: '.' | ',' = '.') {
    this.decimal = decimal.charCodeAt(0)
  }

  /**
   * The number starting at buf[p], stopping at the first byte that cannot continue it
   * (`this.end`); NaN when there is no digit. The buffer must hold a byte that ends the number
   * (a separator or line end) before it ends: the parsers hand over whole lines only, so the
   * hot loop needs no bounds checks.
   */
  at(buf: Uint8Array, p: number): number {
    const start = p
    const dec = this.decimal
    let c = buf[p]!
    let neg = false
    if (c === MINUS) {
      neg = true
      c = buf[++p]!
    } else if (c === PLUS) c = buf[++p]!
    const intStart = p
    // Integer arithmetic while the mantissa fits 9 digits (most sensor values), doubles after.
    let m = 0
    while (c >= ZERO && c <= NINE && p - intStart < 9) {
      m = (m * 10 + (c - ZERO)) | 0
      c = buf[++p]!
    }
    while (c >= ZERO && c <= NINE) {
      m = m * 10 + (c - ZERO)
      c = buf[++p]!
    }
    let digits = p - intStart
    let exp = 0
    if (c === dec) {
      const fracStart = ++p
      c = buf[p]!
      while (c >= ZERO && c <= NINE && digits + p - fracStart < 9) {
        m = (m * 10 + (c - ZERO)) | 0
        c = buf[++p]!
      }
      while (c >= ZERO && c <= NINE) {
        m = m * 10 + (c - ZERO)
        c = buf[++p]!
      }
      exp = fracStart - p
      digits += p - fracStart
    }
    if (digits === 0) {
      this.end = start
      return NaN
    }
    if (c === LOWER_E || c === UPPER_E) {
      let q = p + 1
      let e = buf[q]!
      let eneg = false
      if (e === MINUS || e === PLUS) {
        eneg = e === MINUS
        e = buf[++q]!
      }
      const expStart = q
      let x = 0
      while (e >= ZERO && e <= NINE) {
        if (x < 100_000) x = x * 10 + (e - ZERO)
        e = buf[++q]!
      }
      // "1e" or "2E+" is not an exponent: the number ends before the e.
      if (q > expStart) {
        exp += eneg ? -x : x
        p = q
      }
    }
    this.end = p
    // Leading zeros make `digits` overcount; that only sends a few numbers the slow way.
    if (digits > 15 || exp < -22 || exp > 22) return this.slow(buf, start, p)
    const v = exp < 0 ? m / POW10[-exp]! : exp > 0 ? m * POW10[exp]! : m
    return neg ? -v : v
  }

  private slow(buf: Uint8Array, start: number, end: number): number {
    let s = ''
    for (let i = start; i < end; i++) s += String.fromCharCode(buf[i] === this.decimal ? 46 : buf[i]!)
    return Number(s)
  }
}

/** Whether buf[s, e) is only spaces and tabs. */
export function isBlank(buf: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (buf[i] !== SPACE && buf[i] !== TAB) return false
  return true
}

const MISSING = new Set(['', 'nan', 'na', 'n/a', 'null', 'none', '-', '#n/a'])

/** Text that spreadsheets and loggers write for "no value": kept as a missing sample, not a bad row. */
export function isMissingToken(buf: Uint8Array, s: number, e: number): boolean {
  while (s < e && (buf[s] === SPACE || buf[s] === TAB)) s++
  while (e > s && (buf[e - 1] === SPACE || buf[e - 1] === TAB)) e--
  if (e - s > 4) return false
  let t = ''
  for (let i = s; i < e; i++) t += String.fromCharCode(buf[i]! | 0x20)
  return MISSING.has(t)
}

/**
 * The field buf[s, e) as a number: spaces around it allowed, anything else makes it NaN.
 * buf[e] must exist and not be part of a number (a separator, a line end, a 0 pad byte).
 */
export function numberOf(scan: NumberScanner, buf: Uint8Array, s: number, e: number): number {
  while (s < e && (buf[s] === SPACE || buf[s] === TAB)) s++
  const v = scan.at(buf, s)
  return scan.end > s && scan.end <= e && isBlank(buf, scan.end, e) ? v : NaN
}
