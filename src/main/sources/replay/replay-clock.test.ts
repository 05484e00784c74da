import { describe, expect, it } from 'vitest'
import { ReplayClock } from './replay-clock.ts'

const D0 = Date.UTC(2020, 0, 1)
const W0 = 1_000_000
const clock = (speed = 10, playing = true) =>
  new ReplayClock({ from: D0, to: D0 + 3_600_000, speed, loop: true, playing, now: W0 })

describe('the replay clock', () => {
  it('runs data time at the chosen speed and hands out each window once', () => {
    const c = clock(10)
    expect(c.due(W0 + 1000)).toEqual({ from: D0, to: D0 + 10_000 })
    expect(c.due(W0 + 1000)).toBeNull()
    expect(c.due(W0 + 1500)).toEqual({ from: D0 + 10_000, to: D0 + 15_000 })
  })

  it('stamps rows with the wall time they play at, so the spacing shrinks by the speed', () => {
    const c = clock(1000)
    expect(c.stamp(D0)).toBe(W0)
    expect(c.stamp(D0 + 1000)).toBe(W0 + 1)
    expect(c.stamp(D0 + 60_000)).toBe(W0 + 60)
  })

  it('stands still while paused and resumes where it stopped', () => {
    const c = clock(10)
    c.due(W0 + 1000)
    c.pause(W0 + 1000)
    expect(c.due(W0 + 5000)).toBeNull()
    expect(c.position(W0 + 5000)).toBe(D0 + 10_000)
    c.play(W0 + 5000)
    expect(c.due(W0 + 6000)).toEqual({ from: D0 + 10_000, to: D0 + 20_000 })
  })

  it('seeks anywhere in the data, clamped to it, and keeps stamps ascending across the jump', () => {
    const c = clock(10)
    c.due(W0 + 2000)
    const before = c.stamp(D0 + 19_000)
    c.seek(D0 - 5_000_000, W0 + 2000)
    expect(c.position(W0 + 2000)).toBe(D0)
    expect(c.due(W0 + 2100)).toEqual({ from: D0, to: D0 + 1000 })
    expect(c.stamp(D0)).toBeGreaterThanOrEqual(before)
    c.seek(D0 + 1_800_000, W0 + 2100)
    expect(c.due(W0 + 2200)).toEqual({ from: D0 + 1_800_000, to: D0 + 1_801_000 })
  })

  it('changes speed from the current position without a jump', () => {
    const c = clock(10)
    c.due(W0 + 1000)
    c.setSpeed(100, W0 + 1000)
    expect(c.due(W0 + 2000)).toEqual({ from: D0 + 10_000, to: D0 + 110_000 })
  })

  it('ends just past the last row, so the last row plays', () => {
    const c = new ReplayClock({ from: D0, to: D0 + 9000, speed: 1000, loop: false, playing: true, now: W0 })
    const w = c.due(W0 + 100)!
    expect(w.from).toBe(D0)
    expect(w.to).toBeGreaterThan(D0 + 9000)
    expect(c.ended(W0 + 100)).toBe(true)
  })
})
