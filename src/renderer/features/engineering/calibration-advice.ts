import type { ThresholdCalibration } from '../../../shared/threshold-channels.ts'

/** A proposal this many times the card's threshold or more may have been calibrated on a fault. */
const HIGH_FACTOR = 2

/**
 * What an engineer should weigh before applying a calibrated threshold, or null when the proposal
 * sits between the card's threshold and twice it. Both ways can go wrong: a lower threshold
 * raises more alarms in live running than the card was designed for, and one well above the
 * card's is what a stretch holding a fault gives, which would then hide the next one.
 */
export function calibrationAdvice(c: ThresholdCalibration): string | null {
  const { proposed, card } = c
  if (proposed.threshold < card.threshold)
    return (
      `Below the card's threshold (${card.threshold.toPrecision(4)}): on this stretch it flags ` +
      `${proposed.flagged} windows where the card's flags ${card.flagged}, and in live running it will ` +
      `raise more alarms than the card was designed for. Apply it only if the stretch was normal running.`
    )
  if (proposed.threshold >= HIGH_FACTOR * card.threshold)
    return (
      `${(proposed.threshold / card.threshold).toFixed(1)} × the card's threshold ` +
      `(${card.threshold.toPrecision(4)}): the card's would flag ${card.flagged} of these ` +
      `${c.windows} windows. If the stretch held a fault, this threshold would let the next one pass.`
    )
  return null
}
