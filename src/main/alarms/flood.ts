/** ISA-18.2: more than 10 new alarms in 10 minutes at one operator position is a flood. */
export const FLOOD_WINDOW_MS = 10 * 60_000
export const FLOOD_COUNT = 10

export type FloodChange = 'start' | 'end' | null

/**
 * Counts annunciations over a sliding 10-minute window. Times are the alarms' own (the data's
 * time for process alarms), so a replay at 300x floods exactly when the plant would have; the
 * window slides with the latest time seen, not the wall clock.
 */
export class FloodWatch {
  private times: number[] = []
  private latest = -Infinity
  active = false
  since: number | null = null

  /** Records one annunciation at t; says whether a flood began. */
  add(t: number): FloodChange {
    const last = this.times[this.times.length - 1]
    this.times.push(t)
    // Assets' clocks differ a little; keep the window sorted so it can be trimmed from the front.
    if (last !== undefined && t < last) this.times.sort((a, b) => a - b)
    return this.advance(t)
  }

  /** Slides the window to t; says whether a flood began or ended. */
  advance(t: number): FloodChange {
    if (t > this.latest) this.latest = t
    const from = this.latest - FLOOD_WINDOW_MS
    let drop = 0
    while (drop < this.times.length && this.times[drop]! <= from) drop++
    if (drop) this.times.splice(0, drop)
    const flooding = this.times.length > FLOOD_COUNT
    if (flooding === this.active) return null
    this.active = flooding
    this.since = flooding ? t : null
    return flooding ? 'start' : 'end'
  }

  get count(): number {
    return this.times.length
  }
}
