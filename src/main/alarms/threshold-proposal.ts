import type { ThresholdProposal } from '../../shared/threshold-channels.ts'

/*
 * An adaptive threshold from operators' verdicts on a model's anomaly alarms.
 *
 * The rule. Each verdict carries the highest score of the alarm episode it judges. Let s_tp
 * be the lowest such score among confirmed (true-positive) alarms. A new threshold must keep
 * every confirmed alarm with a margin: it may be at most (1 - MARGIN) x s_tp. The proposal is
 * the highest false-positive score at or under that ceiling: every false alarm scoring that
 * or less would not have been raised (a window alarms when its score is above the threshold),
 * every confirmed one still would. It is proposed only with at least MIN_VERDICTS verdicts,
 * MIN_TRUE of them confirmed, and only when it is above the threshold in force. It only ever
 * raises the threshold: verdicts judge alarms that were raised, so they say nothing about
 * faults the model missed, which a lower threshold would be about.
 */
export const MIN_VERDICTS = 10
export const MIN_TRUE = 3
/** Headroom under the weakest confirmed alarm: the next real fault may score a little lower. */
export const MARGIN = 0.1

export interface Verdict {
  verdict: 'true-positive' | 'false-positive'
  /** The episode's highest score; null when the journal kept none (such verdicts are left out). */
  score: number | null
}

export const RULE = `highest false-alarm score at or under ${100 * (1 - MARGIN)} % of the lowest confirmed alarm's score, from at least ${MIN_VERDICTS} verdicts (${MIN_TRUE} or more confirmed); only raises the threshold`

export function proposeThreshold(
  ids: { assetId: string; modelId: string },
  cardThreshold: number,
  current: number,
  verdicts: Verdict[],
): ThresholdProposal {
  const scored = verdicts.filter((v) => v.score !== null && Number.isFinite(v.score))
  const tp = scored.filter((v) => v.verdict === 'true-positive').map((v) => v.score!)
  const fp = scored.filter((v) => v.verdict === 'false-positive').map((v) => v.score!)
  const base = {
    ...ids,
    cardThreshold,
    current,
    verdicts: scored.length,
    truePositives: tp.length,
    falsePositives: fp.length,
    rule: RULE,
  }
  const none = (reason: string): ThresholdProposal => ({
    ...base,
    proposed: null,
    falsePositivesRemoved: 0,
    minTrueScore: tp.length ? Math.min(...tp) : null,
    reason,
  })
  if (scored.length < MIN_VERDICTS)
    return none(`${scored.length} verdicts with a score so far; a proposal needs ${MIN_VERDICTS}`)
  if (tp.length < MIN_TRUE)
    return none(
      `${tp.length} confirmed alarms so far; a proposal needs ${MIN_TRUE} to know what must still alarm`,
    )
  if (fp.length === 0) return none('no false alarms among the verdicts: nothing to remove')
  const minTrue = Math.min(...tp)
  const ceiling = (1 - MARGIN) * minTrue
  const under = fp.filter((s) => s <= ceiling)
  if (under.length === 0)
    return none(
      `every false alarm scored above ${fmt(ceiling)} (90 % of the weakest confirmed alarm's ${fmt(minTrue)}): a threshold cannot part them`,
    )
  const proposed = Math.max(...under)
  if (proposed <= current)
    return none(`the threshold in force (${fmt(current)}) already removes every false alarm this rule can`)
  return {
    ...base,
    proposed,
    falsePositivesRemoved: under.length,
    minTrueScore: minTrue,
    reason: `${under.length} of ${fp.length} false alarms (${Math.round((100 * under.length) / fp.length)} %) would not have been raised; all ${tp.length} confirmed alarms still would`,
  }
}

const fmt = (x: number) => x.toPrecision(4)
