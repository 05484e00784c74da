/*
 * Against chattering: a condition must hold for `onDelayMs` before it counts as active and be
 * gone for `offDelayMs` before it counts as clear (ISA-18.2 on/off delays), and a limit
 * alarm must come back `deadband` inside its limit to clear. Runs per sample on the main
 * thread, so it holds only numbers and allocates nothing.
 */

export class Debounce {
  /** The filtered condition, what the lifecycle sees. */
  state: boolean
  private pending: boolean
  private pendingSince = NaN
  private readonly onDelayMs: number
  private readonly offDelayMs: number

  constructor(onDelayMs: number, offDelayMs: number, initial = false) {
    this.onDelayMs = onDelayMs
    this.offDelayMs = offDelayMs
    this.state = initial
    this.pending = initial
  }

  /** Feeds the raw condition at time t (ascending); true when the filtered state flipped. */
  update(t: number, raw: boolean): boolean {
    if (raw === this.state) {
      this.pendingSince = NaN
      return false
    }
    if (raw !== this.pending || this.pendingSince !== this.pendingSince) {
      this.pending = raw
      this.pendingSince = t
    }
    if (t - this.pendingSince < (raw ? this.onDelayMs : this.offDelayMs)) return false
    this.state = raw
    this.pendingSince = NaN
    return true
  }

  /** Forgets a change in progress (the alarm was reloaded or its input went bad). */
  reset(state: boolean): void {
    this.state = state
    this.pending = state
    this.pendingSince = NaN
  }
}

/**
 * A limit with hysteresis: `dir` 1 alarms above `limit`, -1 below; once active, the value
 * must come back past limit - deadband (or + deadband) before the raw condition clears.
 */
export class LimitCondition {
  readonly dir: 1 | -1
  readonly limit: number
  readonly deadband: number
  readonly filter: Debounce

  constructor(dir: 1 | -1, limit: number, deadband: number, onDelayMs: number, offDelayMs: number) {
    this.dir = dir
    this.limit = limit
    this.deadband = deadband
    this.filter = new Debounce(onDelayMs, offDelayMs)
  }

  /** True when the filtered state flipped at this sample. */
  update(t: number, x: number): boolean {
    const f = this.filter
    const edge = f.state ? this.limit - this.dir * this.deadband : this.limit
    const raw = this.dir > 0 ? x > edge : x < edge
    return f.update(t, raw)
  }
}
