/**
 * Where a replay is, in the data's own time, and when each data time plays on the wall clock.
 * An anchor pairs a data time with the wall time it played at; between changes, data time
 * runs at `speed` from it. Play, pause, seek and speed each set a new anchor at "now", so
 * nothing jumps on the wall clock, and the stamps a replay gives its rows stay ascending
 * across seeks and loops (a row is stamped no earlier than the one before it). Pure: every
 * method takes the wall time, so tests drive it without timers.
 */
export class ReplayClock {
  readonly from: number
  /** The last row's data time; rows up to and including it play. */
  to: number
  speed: number
  playing: boolean
  loop: boolean
  private anchorWall: number
  private anchorData: number
  /** Rows before this data time have been handed out. */
  private cursor: number
  private lastStamp = -Infinity

  constructor(o: { from: number; to: number; speed: number; loop: boolean; playing: boolean; now: number }) {
    this.from = o.from
    this.to = o.to
    this.speed = o.speed
    this.loop = o.loop
    this.playing = o.playing
    this.anchorWall = o.now
    this.anchorData = o.from
    this.cursor = o.from
  }

  /** The data time playing now. */
  position(now: number): number {
    if (!this.playing) return this.anchorData
    return Math.min(this.end, this.anchorData + (now - this.anchorWall) * this.speed)
  }

  /** The data window [from, to) due since the last call, or null; hands it out. */
  due(now: number): { from: number; to: number } | null {
    const b = this.position(now)
    if (b <= this.cursor) return null
    const w = { from: this.cursor, to: b }
    this.cursor = b
    return w
  }

  /** Every row has played. */
  ended(now: number): boolean {
    return this.cursor >= this.end && this.position(now) >= this.end
  }

  /** The wall time (epoch ms) a row of data time t plays at. */
  stamp(t: number): number {
    const s = Math.max(this.lastStamp, this.anchorWall + (t - this.anchorData) / this.speed)
    this.lastStamp = s
    return s
  }

  play(now: number): void {
    if (this.playing) return
    this.anchorWall = now
    this.playing = true
  }

  pause(now: number): void {
    this.reanchor(now)
    this.playing = false
  }

  /** Jumps to data time t (clamped to the data); rows play from there. */
  seek(t: number, now: number): void {
    this.anchorData = Math.min(Math.max(t, this.from), this.end)
    this.anchorWall = now
    this.cursor = this.anchorData
  }

  setSpeed(x: number, now: number): void {
    this.reanchor(now)
    this.speed = x
  }

  /** Just past the last row: windows are half-open, and the last row must be in one. */
  private get end(): number {
    return this.to + 1
  }

  private reanchor(now: number): void {
    this.anchorData = this.position(now)
    this.anchorWall = now
  }
}
