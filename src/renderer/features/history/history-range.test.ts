import { describe, expect, it } from 'vitest'
import { compareShift, formatSpan, MIN_SPAN, pan, presetRange, zoomOut, zoomTo } from './history-range.ts'

const H = 3_600_000

describe('the history time range', () => {
  it('ends a preset just after the newest stored sample, or at now when nothing is stored', () => {
    expect(presetRange(H, 10 * H)).toEqual({ from: 9 * H + 1, to: 10 * H + 1 })
    expect(presetRange(H, null, 5 * H)).toEqual({ from: 4 * H, to: 5 * H })
  })

  it('zooms to a dragged range in either direction but never below a second', () => {
    expect(zoomTo(5000, 2000)).toEqual({ from: 2000, to: 5000 })
    const tiny = zoomTo(10_000, 10_010)
    expect(tiny.to - tiny.from).toBe(MIN_SPAN)
    expect((tiny.from + tiny.to) / 2).toBe(10_005)
  })

  it('zooms out about the middle and pans by a share of the span', () => {
    expect(zoomOut({ from: 10, to: 20 })).toEqual({ from: 5, to: 25 })
    expect(pan({ from: 10, to: 20 }, -0.5)).toEqual({ from: 5, to: 15 })
  })

  it('compares with the period before, a day or a week earlier', () => {
    const r = { from: 0, to: 2 * H }
    expect(compareShift('previous', r)).toBe(2 * H)
    expect(compareShift('1d', r)).toBe(24 * H)
    expect(compareShift('7d', r)).toBe(7 * 24 * H)
    expect(compareShift('none', r)).toBe(0)
  })

  it('says a span in a readable unit', () => {
    expect(formatSpan(45_000)).toBe('45 s')
    expect(formatSpan(90 * 60_000)).toBe('90 min')
    expect(formatSpan(36 * H)).toBe('36 h')
    expect(formatSpan(30 * 24 * H)).toBe('30 d')
  })
})
