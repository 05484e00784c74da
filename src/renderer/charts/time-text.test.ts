import { describe, expect, it } from 'vitest'
import { axisTimes, formatDateTime, fromLocalInput, toLocalInput } from './time-text.ts'

describe('times on and around history charts', () => {
  it('round-trips local date-time input text and refuses what is not a time', () => {
    const t = new Date(2025, 2, 9, 7, 5).getTime()
    expect(toLocalInput(t)).toBe('2025-03-09T07:05')
    expect(fromLocalInput('2025-03-09T07:05')).toBe(t)
    expect(fromLocalInput('2025-03-09T07:05:30')).toBe(t + 30_000)
    expect(fromLocalInput('')).toBeNull()
    expect(fromLocalInput('yesterday')).toBeNull()
  })

  it('reads a moment as local date and time to the second', () => {
    expect(formatDateTime(new Date(2025, 11, 31, 23, 59, 7).getTime())).toBe('2025-12-31 23:59:07')
    expect(formatDateTime(NaN)).toBe('—')
  })
})

describe('time axis labels', () => {
  const at = (d: number, h: number, m = 0, s = 0) => new Date(2025, 2, d, h, m, s).getTime()
  it('puts the date on the first tick and where the day changes, 24-hour clock', () => {
    expect(axisTimes([at(9, 22), at(9, 23), at(10, 0), at(10, 1)], 4 * 3_600_000)).toEqual([
      '03-09 22:00',
      '23:00',
      '03-10 00:00',
      '01:00',
    ])
  })

  it('shows seconds on a few minutes and only dates over weeks', () => {
    expect(axisTimes([at(9, 7, 5, 30)], 10 * 60_000)).toEqual(['03-09 07:05:30'])
    expect(axisTimes([at(9, 0), at(16, 0)], 30 * 86_400_000)).toEqual(['2025-03-09', '2025-03-16'])
  })
})
