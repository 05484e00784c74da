import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { clockCell, dateCell } from './cell-kind.ts'
import { daysFromCivil } from './time-scan.ts'

describe('times read straight from bytes', () => {
  it('count days exactly as Date.UTC does, over four centuries', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01'), max: new Date('2300-01-01'), noInvalidDate: true }),
        (d) => {
          const ms = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())
          expect(daysFromCivil(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()) * 86_400_000).toBe(ms)
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('read ISO 8601 with and without a zone, with a T or a space, with fractions', () => {
    expect(dateCell('2020-02-08 13:30:47', 'ymd')).toBe(Date.UTC(2020, 1, 8, 13, 30, 47))
    expect(dateCell('2020-02-08T13:30:47Z', 'ymd')).toBe(Date.UTC(2020, 1, 8, 13, 30, 47))
    expect(dateCell('2020-02-08T13:30:47.25+01:00', 'ymd')).toBe(Date.UTC(2020, 1, 8, 12, 30, 47, 250))
    expect(dateCell('2020-02-08T13:30-0530', 'ymd')).toBe(Date.UTC(2020, 1, 8, 19, 0))
    expect(dateCell('2020-02-08', 'ymd')).toBe(Date.UTC(2020, 1, 8))
  })

  it('agree with Date.parse on any instant written as ISO 8601', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1971-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        (d) => {
          const iso = d.toISOString()
          expect(dateCell(iso, 'ymd')).toBe(Date.parse(iso))
          expect(dateCell(iso.replace('T', ' ').replace('Z', ''), 'ymd')).toBe(Date.parse(iso))
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('read naive times in the given offset from UTC', () => {
    expect(dateCell('2020-02-08 13:30:00', 'ymd', 60)).toBe(Date.UTC(2020, 1, 8, 12, 30))
  })

  it('read day-first and month-first dates, two-digit years and a 12-hour clock', () => {
    expect(dateCell('08/02/2020 13:30', 'dmy')).toBe(Date.UTC(2020, 1, 8, 13, 30))
    expect(dateCell('02/08/2020 1:30:05 PM', 'mdy')).toBe(Date.UTC(2020, 1, 8, 13, 30, 5))
    expect(dateCell('8.2.20 12:00 AM', 'dmy')).toBe(Date.UTC(2020, 1, 8, 0, 0))
  })

  it('refuse impossible dates and times rather than rolling them over', () => {
    for (const s of [
      '2021-02-29',
      '2020-13-01',
      '2020-00-10',
      '2020-01-32',
      '2020-01-01 25:00',
      '2020-01-01 10:61',
    ])
      expect(dateCell(s, 'ymd')).toBeNaN()
    expect(dateCell('2020-02-29', 'ymd')).toBe(Date.UTC(2020, 1, 29))
    expect(dateCell('31/04/2020', 'dmy')).toBeNaN()
    expect(dateCell('hello', 'ymd')).toBeNaN()
  })

  it('read a time of day on its own for files that split date and time', () => {
    expect(clockCell('13:30:47')).toBe(((13 * 60 + 30) * 60 + 47) * 1000)
    expect(clockCell('7:05')).toBe((7 * 60 + 5) * 60_000)
    expect(clockCell('12:15:00 AM')).toBe(15 * 60_000)
    expect(clockCell('13:3')).toBeNaN()
  })
})
