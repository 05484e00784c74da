import { describe, expect, it } from 'vitest'
import { formatDateTime, fromLocalInput, toLocalInput } from './time-text.ts'

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
