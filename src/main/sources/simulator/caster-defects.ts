/*
 * The caster's hidden ground truth: two documented rules (README.md) that decide, from the
 * process as it truly ran, whether a cast is defective. They read true values, not the
 * instruments, so a defect model trained on measured features learns the rule through noise.
 */

/** Rule 1, longitudinal crack: mould level unsteady AND the steel too hot, over the whole cast. */
export const CRACK_LEVEL_STD_MM = 3.5
export const CRACK_SUPERHEAT_C = 30

export const crackRule = (levelStdMm: number, superheatMeanC: number) =>
  levelStdMm > CRACK_LEVEL_STD_MM && superheatMeanC > CRACK_SUPERHEAT_C

/**
 * Rule 2, breakout risk, from the thermocouple pattern of a sticker: in one column an upper
 * thermocouple rises more than UPPER_RISE_C within RISE_SPAN_S, and the one below it then
 * rises more than LOWER_RISE_C within RISE_SPAN_S, 2 to 30 s later: the torn shell moving
 * down with the strand (the pattern breakout-prediction systems look for).
 */
export const UPPER_RISE_C = 10
export const LOWER_RISE_C = 8
export const RISE_SPAN_S = 10
export const FOLLOW_S = [2, 30] as const

/** Watches true thermocouple traces (upper row 0..c-1, lower row c..2c-1) for rule 2. */
export class BreakoutWatch {
  /** Set when the pattern was seen; the caster clears it at each new cast. */
  tripped = false
  private readonly cols: number
  private readonly lag: number
  private readonly size: number
  private readonly ring: Float64Array
  private readonly upperAt: Float64Array
  private pos = 0
  private filled = 0

  constructor(rateHz: number, columns = 3) {
    this.cols = columns
    this.lag = Math.max(1, Math.round(RISE_SPAN_S * rateHz))
    this.size = this.lag + 1
    this.ring = new Float64Array(this.size * 2 * columns)
    this.upperAt = new Float64Array(columns).fill(-Infinity)
  }

  push(tMs: number, tc: Float64Array): void {
    const w = 2 * this.cols
    const base = this.pos * w
    for (let j = 0; j < w; j++) this.ring[base + j] = tc[j]!
    if (this.filled >= this.lag) {
      const old = ((this.pos - this.lag + this.size) % this.size) * w
      for (let c = 0; c < this.cols; c++) {
        if (tc[c]! - this.ring[old + c]! > UPPER_RISE_C) this.upperAt[c] = tMs
        const since = (tMs - this.upperAt[c]!) / 1000
        const c2 = this.cols + c
        if (since >= FOLLOW_S[0] && since <= FOLLOW_S[1] && tc[c2]! - this.ring[old + c2]! > LOWER_RISE_C)
          this.tripped = true
      }
    } else this.filled++
    this.pos = (this.pos + 1) % this.size
  }
}

/** One cast's outcome, as it truly was: the label a defect model is trained against. */
export interface CastOutcome {
  cast: number
  startMs: number
  endMs: number
  levelStdMm: number
  superheatMeanC: number
  speedMeanMMin: number
  /** A sticker was simulated in this cast (what rule 2 should find). */
  sticker: boolean
  crack: boolean
  breakoutRisk: boolean
}

/** Running sums over a cast's true values, reset at each cast. */
export class CastTally {
  n = 0
  level = 0
  levelSq = 0
  superheat = 0
  speed = 0

  add(level: number, superheat: number, speed: number): void {
    this.n++
    this.level += level
    this.levelSq += level * level
    this.superheat += superheat
    this.speed += speed
  }

  outcome(cast: number, startMs: number, endMs: number, sticker: boolean, breakout: boolean): CastOutcome {
    // A cast skipped whole (the live source skips a backlog after a pause) has no values: NaN.
    const n = this.n || NaN
    const mean = this.level / n
    const levelStdMm = Math.sqrt(Math.max(0, this.levelSq / n - mean * mean))
    const superheatMeanC = this.superheat / n
    const o: CastOutcome = {
      cast,
      startMs,
      endMs,
      levelStdMm,
      superheatMeanC,
      speedMeanMMin: this.speed / n,
      sticker,
      crack: crackRule(levelStdMm, superheatMeanC),
      breakoutRisk: breakout,
    }
    this.n = this.level = this.levelSq = this.superheat = this.speed = 0
    return o
  }
}
