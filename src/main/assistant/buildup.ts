import type { Buildup } from '../../shared/assistant-channels.ts'

/** One model's windows in time order: what the prediction log holds, merged over versions. */
export interface ScoreTrack {
  t: Float64Array
  score: Float64Array
  threshold: Float64Array
  anomaly: Uint8Array
  /** Row-major n x tags. */
  contrib: Float64Array
  tags: string[]
}

/** Windows below the band (or NORMAL) this many in a row end a run; fewer are noise inside it. */
const BRIDGE = 5

/** Index of the last window at or before `at`, -1 if none. */
export function lastAtOrBefore(t: Float64Array, at: number): number {
  let lo = 0
  let hi = t.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (t[mid]! <= at) lo = mid + 1
    else hi = mid
  }
  return lo - 1
}

/**
 * How long the finding has been building: the current run of ANOMALY windows, and before it
 * the stretch in which the score stayed above its normal band. The band is robust (median +
 * 3 scaled MADs of the NORMAL windows before the run, capped at the threshold) so that the
 * rise itself, when shorter than the look-back, does not widen it.
 */
export function buildup(s: ScoreTrack, at: number): Buildup & { end: number; runStart: number } {
  const end = lastAtOrBefore(s.t, at)
  const none = {
    risingSince: null,
    anomalousSince: null,
    score: null,
    threshold: null,
    normalBand: null,
    trend: null,
    end,
    runStart: end,
  }
  if (end < 0) return none
  let runStart = end + 1
  if (s.anomaly[end] === 1) runStart = walkBack(end, (i) => s.anomaly[i] === 1)
  const before: number[] = []
  for (let i = 0; i < runStart; i++)
    if (s.anomaly[i] === 0 && s.score[i]! === s.score[i]!) before.push(s.score[i]!)
  const band = before.length >= 10 ? Math.min(robustBand(before), s.threshold[end]!) : null
  const from = Math.min(runStart, end)
  let riseStart: number | null = null
  if (band !== null && s.score[end]! > band) riseStart = walkBack(from, (i) => s.score[i]! > band)
  else if (runStart <= end) riseStart = runStart
  const trendFrom = riseStart ?? Math.max(0, end - 10)
  return {
    risingSince: riseStart === null ? null : s.t[riseStart]!,
    anomalousSince: runStart <= end ? s.t[runStart]! : null,
    score: s.score[end]!,
    threshold: s.threshold[end]!,
    normalBand: band,
    trend: trendOf(s.score, trendFrom, end),
    end,
    runStart: runStart <= end ? runStart : Math.max(0, end - 9),
  }

  /** The earliest index of the run containing `i0` in which `inside` holds, bridging short gaps. */
  function walkBack(i0: number, inside: (i: number) => boolean): number {
    let first = i0
    let gap = 0
    for (let i = i0 - 1; i >= 0 && gap < BRIDGE; i--) {
      if (inside(i)) {
        first = i
        gap = 0
      } else gap++
    }
    return first
  }
}

function robustBand(xs: number[]): number {
  const med = quantile(xs, 0.5)
  const mad = quantile(
    xs.map((x) => Math.abs(x - med)),
    0.5,
  )
  return med + 3 * 1.4826 * mad
}

export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b)
  const i = (s.length - 1) * q
  const lo = Math.floor(i)
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (i - lo)
}

/** Mean of the last five scores over the mean of the first five from `from`: 10 % either way is a trend. */
function trendOf(score: Float64Array, from: number, end: number): Buildup['trend'] {
  if (end - from < 4) return null
  const mean = (a: number, b: number) => {
    let sum = 0
    for (let i = a; i < b; i++) sum += score[i]!
    return sum / (b - a)
  }
  const r = mean(end - 4, end + 1) / mean(from, from + 5)
  return r > 1.1 ? 'rising' : r < 0.9 ? 'falling' : 'steady'
}

/** Mean contribution per tag over windows [a, b], and over the NORMAL windows before a. */
export function meanShares(s: ScoreTrack, a: number, b: number): { share: number[]; normal: number[] } {
  const F = s.tags.length
  const share = new Array<number>(F).fill(0)
  const normal = new Array<number>(F).fill(0)
  let n = 0
  let m = 0
  for (let i = Math.max(0, a); i <= b; i++, n++)
    for (let j = 0; j < F; j++) share[j]! += s.contrib[i * F + j]! || 0
  for (let i = 0; i < a; i++) {
    if (s.anomaly[i] !== 0) continue
    m++
    for (let j = 0; j < F; j++) normal[j]! += s.contrib[i * F + j]! || 0
  }
  return { share: share.map((x) => (n ? x / n : 0)), normal: normal.map((x) => (m ? x / m : 1 / F)) }
}
