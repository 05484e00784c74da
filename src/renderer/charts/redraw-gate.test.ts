import { describe, expect, it } from 'vitest'
import { RedrawGate } from './redraw-gate.ts'

const WINDOW = 600_000
const PX = 600 // one pixel = 1 s of the window
const normal = () => 0

describe('RedrawGate', () => {
  it('redraws a 10 Hz trend once per pixel of new time, not once per sample', () => {
    const gate = new RedrawGate(2)
    let draws = 0
    for (let i = 0; i < 100; i++) if (gate.due(1_000_000 + i * 100, WINDOW, 0, PX, normal)) draws++
    // Ten seconds of samples over a window of one second per pixel: the first and one per second.
    expect(draws).toBe(10)
  })

  it("redraws at once when a tag's state changes, the ring is refilled or the plot resized", () => {
    const gate = new RedrawGate(2)
    expect(gate.due(1000, WINDOW, 0, PX, normal)).toBe(true)
    expect(gate.due(1100, WINDOW, 0, PX, normal)).toBe(false)
    expect(gate.due(1200, WINDOW, 0, PX, (i) => (i === 1 ? 2 : 0))).toBe(true)
    expect(gate.due(1300, WINDOW, 0, PX, (i) => (i === 1 ? 2 : 0))).toBe(false)
    expect(gate.due(1400, WINDOW, 1, PX, (i) => (i === 1 ? 2 : 0))).toBe(true)
    expect(gate.due(1500, WINDOW, 1, 400, (i) => (i === 1 ? 2 : 0))).toBe(true)
    // Time running backwards (a snapshot older than what was drawn) is a new picture too.
    expect(gate.due(1000, WINDOW, 1, 400, (i) => (i === 1 ? 2 : 0))).toBe(true)
  })
})
