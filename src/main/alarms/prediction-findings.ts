import type { Severity } from '../../shared/alarms.ts'
import type { PredictionBatch } from '../../shared/samples.ts'
import type { PredictionFinding } from './maintenance.ts'

/*
 * Maintenance events from predictors (issue 6: events "created ... from RUL and defect
 * findings"). Severity is the time left to act, as for a sensor's events:
 *   RUL     MEDIUM under the horizon (plan it), HIGH under half of it (schedule it now),
 *           CRITICAL under an eighth (under a day for C-201's week: act this shift).
 *   defect  HIGH for a flagged cast (hold the slab for inspection), CRITICAL when 3 or more of
 *           the last 10 casts were flagged: a recurring process fault, not one bad heat.
 * One open event per asset and model; it only rises in severity until a person resolves it.
 */

const HIGH_SHARE = 1 / 2
const CRITICAL_SHARE = 1 / 8
const RECURRING = 3

const HOUR_MS = 3_600_000
const whenText = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ') + ' UTC'

/** The RUL finding of prediction i, under the horizon h (unit: the card's, "h" for hours). */
export function rulFinding(p: PredictionBatch, i: number, h: number, unit: string): PredictionFinding {
  const life = p.value[i]!
  const t = p.t[i]!
  const spread = p.spread?.[i]
  const severity: Severity =
    life < CRITICAL_SHARE * h ? 'CRITICAL' : life < HIGH_SHARE * h ? 'HIGH' : 'MEDIUM'
  const band = spread === undefined || spread !== spread ? '' : ` ± ${spread.toFixed(0)}`
  // Hours have a date to act by (data time plus the life less its spread); cycles do not.
  const by = unit === 'h' ? `; act before ${whenText(t + Math.max(0, life - (spread ?? 0)) * HOUR_MS)}` : ''
  return {
    assetId: p.assetId,
    cause: `${p.assetId}/predict/${p.modelId}`,
    tag: p.modelId,
    severity,
    t,
    message: `${p.assetId}: ${life.toFixed(0)}${band} ${unit} of useful life left by ${p.modelId}, under its ${h} ${unit} horizon${by}`,
    value: life,
    score: spread ?? null,
  }
}

/** Flags of the last 10 casts judged (oldest first), and the casts flagged since the open event began. */
export interface CastHistory {
  recent: boolean[]
  flagged: { cast: number; p: number }[]
}

/** The finding of flagged cast i (p.value above the threshold); appends it to the history. */
export function defectFinding(
  p: PredictionBatch,
  i: number,
  threshold: number,
  casts: CastHistory,
): PredictionFinding {
  const cast = p.unit?.[i] ?? NaN
  casts.flagged.push({ cast, p: p.value[i]! })
  const recurring = casts.recent.filter(Boolean).length
  const severity: Severity = recurring >= RECURRING ? 'CRITICAL' : 'HIGH'
  const list = casts.flagged
    .slice(-6)
    .map((c) => `${c.cast} (${c.p.toFixed(2)})`)
    .join(', ')
  const more = casts.flagged.length > 6 ? ` and ${casts.flagged.length - 6} earlier` : ''
  const advice =
    severity === 'CRITICAL'
      ? `${recurring} of the last ${casts.recent.length} casts flagged: check mould level control, superheat and mould cooling before the next heat`
      : 'hold the slab for inspection'
  return {
    assetId: p.assetId,
    cause: `${p.assetId}/predict/${p.modelId}`,
    tag: p.modelId,
    severity,
    t: p.t[i]!,
    message: `${p.assetId}: cast${casts.flagged.length > 1 ? 's' : ''} ${list}${more} likely defective by ${p.modelId} (P(defect) over ${threshold}); ${advice}`,
    value: p.value[i]!,
    score: p.confidence?.[i] ?? null,
    refresh: true,
  }
}
