import type { MaintenanceEvent, Severity } from '../../shared/alarms.ts'
import type { Recommendation, RiskFigure } from '../../shared/kpi-channels.ts'
import { Severities } from '../../shared/alarms.ts'

/*
 * The role views' figures as pure functions of the records (maintenance events, verdicts,
 * alarm activations), so each definition is tested on its own. The README's "Figures for
 * each role" section states the same definitions for people.
 */

export const DAY_MS = 86_400_000

/**
 * Availability of an asset over [from, to): 1 - downtime / (to - from), where downtime is the
 * time covered by its CRITICAL maintenance events (opened when a critical sensor was past its
 * limit, the pump design's failure condition) from opening until resolution (or `to`, while
 * open). Overlapping events count once.
 */
export function availability(
  events: MaintenanceEvent[],
  assetId: string,
  from: number,
  to: number,
): { availability: number; downtimeMs: number } {
  const spans = events
    .filter((e) => e.assetId === assetId && e.severity === 'CRITICAL')
    .map((e) => [Math.max(from, e.openedAt), Math.min(to, e.resolvedAt ?? to)] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0])
  let down = 0
  let end = -Infinity
  for (const [a, b] of spans) {
    if (b <= end) continue
    down += b - Math.max(a, end)
    end = b
  }
  return { availability: to > from ? 1 - down / (to - from) : 1, downtimeMs: down }
}

/** Model anomaly alarms raised per UTC day, per asset; days without any are listed with 0. */
export function anomaliesPerDay(
  activations: { t: number; alarmId: string }[],
  from: number,
  to: number,
): { day: string; byAsset: Record<string, number>; total: number }[] {
  const days = new Map<string, { day: string; byAsset: Record<string, number>; total: number }>()
  for (let d = Math.floor(from / DAY_MS) * DAY_MS; d < to; d += DAY_MS) {
    const day = new Date(d).toISOString().slice(0, 10)
    days.set(day, { day, byAsset: {}, total: 0 })
  }
  for (const a of activations) {
    const row = days.get(new Date(a.t).toISOString().slice(0, 10))
    if (!row) continue
    const asset = a.alarmId.slice(0, a.alarmId.indexOf('/'))
    row.byAsset[asset] = (row.byAsset[asset] ?? 0) + 1
    row.total++
  }
  return [...days.values()]
}

const rank = (s: Severity) => Severities.indexOf(s)

/** Every open event is a recommendation to act: the most severe first, then the oldest. */
export function recommendations(open: MaintenanceEvent[]): Recommendation[] {
  return [...open]
    .sort((a, b) => rank(a.severity) - rank(b.severity) || a.openedAt - b.openedAt)
    .map((e) => ({
      workOrder: e.workOrder,
      assetId: e.assetId,
      tag: e.tag,
      severity: e.severity,
      openedAt: e.openedAt,
      // A predictor's finding (alarms/prediction-findings.ts) already says what to do.
      action: e.cause.startsWith(`${e.assetId}/predict/`)
        ? e.message
        : e.severity === 'CRITICAL'
          ? `Stop or unload ${e.assetId} and inspect ${e.tag}: ${e.message}`
          : `Plan an inspection of ${e.tag} on ${e.assetId}: ${e.message}`,
      cost: e.cost,
      currency: e.currency,
    }))
}

/**
 * Probability that an open finding on an asset is a developing failure, and where it comes
 * from. A CRITICAL event is a measured exceedance of a critical limit: 1. Otherwise the model
 * alarm's precision on that asset from operators' verdicts, Laplace-smoothed ((TP + 1) /
 * (TP + FP + 2)), so no verdicts give even odds rather than a certainty either way.
 */
export function failureProbability(
  open: MaintenanceEvent[],
  verdicts: { truePositive: number; falsePositive: number },
): { probability: number; source: string } {
  if (open.some((e) => e.severity === 'CRITICAL'))
    return { probability: 1, source: 'measured: a critical sensor is past its critical limit' }
  const { truePositive: tp, falsePositive: fp } = verdicts
  const probability = (tp + 1) / (tp + fp + 2)
  return {
    probability,
    source:
      tp + fp === 0
        ? 'no operator verdicts on this asset yet: even odds (1 + 0) / (0 + 2)'
        : `model alarm precision from ${tp + fp} operator verdicts, smoothed: (${tp} + 1) / (${tp + fp} + 2)`,
  }
}

/** Financial risk per asset: P(failure) x the estimated cost of its open events. */
export function riskOf(
  assetId: string,
  open: MaintenanceEvent[],
  verdicts: { truePositive: number; falsePositive: number },
): RiskFigure {
  const mine = open.filter((e) => e.assetId === assetId)
  const cost = mine.reduce((s, e) => s + e.cost, 0)
  if (mine.length === 0)
    return { assetId, probability: 0, probabilitySource: 'no open finding', cost: 0, risk: 0, openEvents: 0 }
  const p = failureProbability(mine, verdicts)
  return {
    assetId,
    probability: p.probability,
    probabilitySource: p.source,
    cost,
    risk: p.probability * cost,
    openEvents: mine.length,
  }
}

/**
 * Events avoided: resolved in [from, to) without ever reaching CRITICAL (an event is raised
 * in place when it worsens, so its severity is the worst it reached). Each is counted at what
 * it would have cost at CRITICAL (`criticalCost` of its asset); `net` subtracts what was spent.
 */
export function avoided(
  events: MaintenanceEvent[],
  from: number,
  to: number,
  criticalCost: (assetId: string) => number,
): { events: number; criticalCost: number; spentOnThem: number; net: number } {
  const caught = events.filter(
    (e) =>
      e.status === 'resolved' && e.severity !== 'CRITICAL' && e.resolvedAt! >= from && e.resolvedAt! < to,
  )
  const critical = caught.reduce((s, e) => s + criticalCost(e.assetId), 0)
  const spent = caught.reduce((s, e) => s + e.cost, 0)
  return { events: caught.length, criticalCost: critical, spentOnThem: spent, net: critical - spent }
}
