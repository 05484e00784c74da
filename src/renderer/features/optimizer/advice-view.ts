import type { AdviceDecision } from '../../../shared/optimizer-channels.ts'
import type { TagConfig } from '../../../shared/plant.ts'
import type { ConstraintMargin, SetpointAdvice } from '../../../shared/suggestion.ts'
import type { PredictionPoint } from '../../state/prediction-store.ts'

/*
 * What the Optimizer view shows of a policy's advice, apart from drawing it: the newest
 * advice, each margin's state, and which suggestions someone has decided on.
 */

/**
 * The least margin a suggestion should leave to a limit: 5 % of the tag's instrument span,
 * the rule of the engine's constraint alarm (src/main/alarms/prediction-alarm-defs.ts), so the
 * view and the alarm agree on what is "at risk".
 */
export const RISK_SPAN = 0.05

export type MarginState = 'ok' | 'at-risk' | 'outside'

export function marginState(m: ConstraintMargin, tag: TagConfig | undefined): MarginState {
  if (m.margin < 0) return 'outside'
  const wanted = tag ? RISK_SPAN * (tag.max - tag.min) : 0
  return m.margin < wanted ? 'at-risk' : 'ok'
}

/** The newest advice of a series, or null before the first. */
export function latestAdvice(points: PredictionPoint[]): SetpointAdvice | null {
  for (let i = points.length - 1; i >= 0; i--) if (points[i]!.advice) return points[i]!.advice!
  return null
}

/** Advice newest first, at most n. */
export function recentAdvice(points: PredictionPoint[], n: number): SetpointAdvice[] {
  const out: SetpointAdvice[] = []
  for (let i = points.length - 1; i >= 0 && out.length < n; i--) {
    const a = points[i]!.advice
    if (a) out.push(a)
  }
  return out
}

/** The latest decision on one suggestion (a person may change their mind: the last one counts). */
export function decisionFor(decisions: AdviceDecision[], a: SetpointAdvice): AdviceDecision | null {
  let best: AdviceDecision | null = null
  for (const d of decisions)
    if (d.assetId === a.assetId && d.modelId === a.modelId && d.at === a.at && (!best || d.t > best.t))
      best = d
  return best
}

/** A setpoint's move in words: "13,950 → 13,700 rpm". */
export function moveText(current: number, next: number, unit: string): string {
  const digits = Math.abs(next) >= 100 ? 0 : 1
  const f = (v: number) =>
    v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
  return `${f(current)} → ${f(next)} ${unit}`
}

/** One line per advice for the recent list: the moves, or why none, without the boilerplate. */
export function adviceSummary(a: SetpointAdvice, name: (tag: string) => string): string {
  const s = a.suggestion
  if (!s) return a.why.replace(/^No suggestion: /, 'None: ').replace(/ \(a suggestion needs [^)]*\)\.$/, '.')
  return s.moves.map((m) => `${name(m.tag)} ${moveText(m.current, m.suggested, m.unit)}`).join('; ')
}

/** The setpoints and what they cost, now: speed, guide vanes, flow and power where the asset has them. */
const NOW_TAGS = ['Shaft_Speed_rpm', 'IGV_Position_pct', 'Mass_Flow_kg_s', 'Power_MW', 'Surge_Margin_pct']

export function nowFacts(
  tags: TagConfig[],
  order: string[],
  last: (column: number) => number,
): { label: string; text: string }[] {
  const out: { label: string; text: string }[] = []
  for (const id of NOW_TAGS) {
    const k = order.indexOf(id)
    const t = tags.find((x) => x.id === id)
    if (k < 0 || !t) continue
    const v = last(k)
    if (!Number.isFinite(v)) continue
    const digits = Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2
    out.push({
      label: t.name ?? id,
      text: `${v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${t.unit}`,
    })
  }
  return out
}
