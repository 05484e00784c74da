import type { DateOrder } from '../../shared/import.ts'

/*
 * Dates and times straight from bytes, to epoch ms, without a Date or a string per row:
 * "2020-02-08 13:30:47", "2020-02-08T13:30:47.250+01:00", "08/02/2020 1:30:47 PM",
 * "8.2.2020", and a time of day on its own ("13:30:47") for files that split date and time.
 */

const DAY_MS = 86_400_000

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false
  return d <= (m === 2 && !leap(y) ? 28 : MONTH_DAYS[m - 1]!)
}

const isDigit = (c: number) => c >= 48 && c <= 57

/** One scanner per parser, reused: `end` is where the last read stopped. */
export class TimeScanner {
  end = 0
  /** Digits read by the last int(). */
  private n = 0
  /** The last date isoSeconds read (y * 10000 + m * 100 + d) and its day number: consecutive rows share their date. */
  private lastYmd = -1
  private lastDays = 0
  /** "13:30:47,250" is a fraction only where the comma cannot be the field separator. */
  private readonly comma: boolean

  constructor(commaFraction = false) {
    this.comma = commaFraction
  }

  private int(buf: Uint8Array, p: number, limit: number, max: number): number {
    let v = 0
    let n = 0
    while (p < limit && n < max && isDigit(buf[p]!)) {
      v = v * 10 + buf[p]! - 48
      p++
      n++
    }
    this.n = n
    this.end = p
    return v
  }

  /**
   * A date with an optional time of day and zone at buf[p, limit), as epoch ms; NaN when it
   * is not one. A time without a zone is local to `offsetMin` minutes east of UTC.
   */
  dateTime(buf: Uint8Array, p: number, limit: number, order: DateOrder, offsetMin: number): number {
    if (order === 'ymd' && p + 19 <= limit) {
      const t = this.isoSeconds(buf, p)
      if (t === t) return t - this.zone(buf, p + 19, limit, offsetMin) * 60_000
    }
    const a = this.int(buf, p, limit, 4)
    const na = this.n
    let q = this.end
    const sep = q < limit ? buf[q]! : 0
    if (na === 0 || (sep !== 45 && sep !== 47 && sep !== 46)) return NaN
    const b = this.int(buf, q + 1, limit, 2)
    q = this.end
    if (this.n === 0 || q >= limit || buf[q] !== sep) return NaN
    const c = this.int(buf, q + 1, limit, 4)
    const nc = this.n
    q = this.end
    if (nc === 0) return NaN
    let y = a
    let m = b
    let d = c
    if (order === 'dmy') {
      y = c
      d = a
    } else if (order === 'mdy') {
      y = c
      m = a
      d = b
    }
    if ((order === 'ymd' ? na : nc) === 2) y += y < 70 ? 2000 : 1900
    else if ((order === 'ymd' ? na : nc) !== 4) return NaN
    if (!validDate(y, m, d)) return NaN
    let t = daysFromCivil(y, m, d) * DAY_MS
    this.end = q
    if (q + 1 < limit && (buf[q] === 84 || buf[q] === 32) && isDigit(buf[q + 1]!)) {
      const ms = this.clock(buf, q + 1, limit)
      if (ms !== ms) return NaN
      t += ms
      q = this.end
    }
    return t - this.zone(buf, q, limit, offsetMin) * 60_000
  }

  /**
   * The common "YYYY-MM-DD HH:MM:SS" (or T) without a fraction, read at fixed places; NaN
   * sends anything else to the general path.
   */
  private isoSeconds(buf: Uint8Array, p: number): number {
    if (buf[p + 4] !== 45 || buf[p + 7] !== 45 || buf[p + 13] !== 58 || buf[p + 16] !== 58) return NaN
    const sep = buf[p + 10]
    if (sep !== 32 && sep !== 84) return NaN
    const e = buf[p + 19]
    if (e === 46 || (this.comma && e === 44) || (e !== undefined && isDigit(e))) return NaN
    // Each digit as 0-9; anything else becomes a number above 9 (unsigned shift).
    const a0 = (buf[p]! - 48) >>> 0
    const a1 = (buf[p + 1]! - 48) >>> 0
    const a2 = (buf[p + 2]! - 48) >>> 0
    const a3 = (buf[p + 3]! - 48) >>> 0
    const m0 = (buf[p + 5]! - 48) >>> 0
    const m1 = (buf[p + 6]! - 48) >>> 0
    const d0 = (buf[p + 8]! - 48) >>> 0
    const d1 = (buf[p + 9]! - 48) >>> 0
    const h0 = (buf[p + 11]! - 48) >>> 0
    const h1 = (buf[p + 12]! - 48) >>> 0
    const i0 = (buf[p + 14]! - 48) >>> 0
    const i1 = (buf[p + 15]! - 48) >>> 0
    const s0 = (buf[p + 17]! - 48) >>> 0
    const s1 = (buf[p + 18]! - 48) >>> 0
    const bad =
      a0 > 9 ||
      a1 > 9 ||
      a2 > 9 ||
      a3 > 9 ||
      m0 > 9 ||
      m1 > 9 ||
      d0 > 9 ||
      d1 > 9 ||
      h0 > 9 ||
      h1 > 9 ||
      i0 > 9 ||
      i1 > 9 ||
      s0 > 9 ||
      s1 > 9
    const y = a0 * 1000 + a1 * 100 + a2 * 10 + a3
    const mo = m0 * 10 + m1
    const d = d0 * 10 + d1
    const h = h0 * 10 + h1
    const mi = i0 * 10 + i1
    const s = s0 * 10 + s1
    if (bad || h > 23 || mi > 59 || s > 60) return NaN
    const ymd = y * 10000 + mo * 100 + d
    if (ymd !== this.lastYmd) {
      if (!validDate(y, mo, d)) return NaN
      this.lastYmd = ymd
      this.lastDays = daysFromCivil(y, mo, d)
    }
    this.end = p + 19
    return this.lastDays * DAY_MS + ((h * 60 + mi) * 60 + s) * 1000
  }

  /** hh:mm[:ss[.fff]] [AM|PM] at buf[p, limit), as ms since midnight; NaN when it is not one. */
  clock(buf: Uint8Array, p: number, limit: number): number {
    let h = this.int(buf, p, limit, 2)
    let q = this.end
    if (this.n === 0 || q >= limit || buf[q] !== 58) return NaN
    const min = this.int(buf, q + 1, limit, 2)
    q = this.end
    if (this.n !== 2) return NaN
    let s = 0
    let frac = 0
    if (q < limit && buf[q] === 58) {
      s = this.int(buf, q + 1, limit, 2)
      q = this.end
      if (this.n !== 2) return NaN
      if (q + 1 < limit && (buf[q] === 46 || (this.comma && buf[q] === 44)) && isDigit(buf[q + 1]!)) {
        let scale = 100
        q++
        while (q < limit && isDigit(buf[q]!)) {
          frac += (buf[q]! - 48) * scale
          scale /= 10
          q++
        }
      }
    }
    // "1:30:47 PM": a 12-hour clock.
    let r = q
    if (r < limit && buf[r] === 32) r++
    if (r + 1 < limit && (buf[r + 1]! | 0x20) === 109) {
      const ap = buf[r]! | 0x20
      if ((ap === 97 || ap === 112) && h >= 1 && h <= 12) {
        h = (h % 12) + (ap === 112 ? 12 : 0)
        q = r + 2
      }
    }
    if (h > 24 || min > 59 || s > 60 || (h === 24 && (min > 0 || s > 0))) return NaN
    this.end = q
    return ((h * 60 + min) * 60 + s) * 1000 + Math.round(frac)
  }

  /** Minutes east of UTC of a zone at buf[p] ("Z", "+01:00", "-0530", "+02"); else `naive`. */
  private zone(buf: Uint8Array, p: number, limit: number, naive: number): number {
    this.end = p
    if (p >= limit) return naive
    const c = buf[p]!
    if (c === 90) {
      this.end = p + 1
      return 0
    }
    if (c !== 43 && c !== 45) return naive
    const h = this.int(buf, p + 1, limit, 2)
    if (this.n !== 2) {
      this.end = p
      return naive
    }
    const q = this.end
    let minutes = h * 60
    const m = this.int(buf, q < limit && buf[q] === 58 ? q + 1 : q, limit, 2)
    if (this.n === 2) minutes += m
    else this.end = q
    return c === 45 ? -minutes : minutes
  }
}
