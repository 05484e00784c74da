import type { AlarmStats, PositionStats, Priority } from '../../shared/alarms.ts'
import type { AlarmSet } from './alarm-set.ts'
import { stateOf } from './lifecycle.ts'

/** Operator verdicts on model alarms, counted since the file was created. */
export interface Feedback {
  truePositive: number
  falsePositive: number
}

/** The figures an alarm-management review asks for (ISA-18.2 section 16, EEMUA 191). */
export function alarmStats(set: AlarmSet, feedback: Feedback): AlarmStats {
  const byPriority: Record<Priority, number> = { critical: 0, high: 0, medium: 0, low: 0 }
  const s = { standing: 0, stale: 0, unacked: 0, shelved: 0, suppressed: 0, outOfService: 0, chattering: 0 }
  const positions: PositionStats[] = []
  const posOf = new Map<string, PositionStats>()
  for (const [position, p] of set.positions) {
    const f = p.flood
    const row = {
      position,
      assets: p.assets,
      flood: { active: f.active, newIn10Min: f.count, since: f.since },
      standing: 0,
      unacked: 0,
    }
    positions.push(row)
    for (const a of p.assets) posOf.set(a, row)
  }
  for (const rec of set.byId.values()) {
    const state = stateOf(rec.life)
    const pos = posOf.get(rec.def.assetId)
    if (pos && (state === 'unack' || state === 'acked')) pos.standing++
    if (pos && (state === 'unack' || state === 'rtn-unack')) pos.unacked++
    if (state === 'unack' || state === 'acked') {
      s.standing++
      byPriority[rec.def.priority]++
      if (set.isStale(rec)) s.stale++
    }
    if (state === 'unack' || state === 'rtn-unack') s.unacked++
    if (state === 'shelved') s.shelved++
    if (state === 'suppressed') s.suppressed++
    if (state === 'out-of-service') s.outOfService++
    if (set.isChattering(rec)) s.chattering++
  }
  const judged = feedback.truePositive + feedback.falsePositive
  return {
    ...s,
    standingByPriority: byPriority,
    flood: {
      active: positions.some((p) => p.flood.active),
      newIn10Min: set.flood.count,
      since: earliest(positions.map((p) => p.flood.since)),
    },
    positions,
    feedback: { ...feedback, falsePositiveRate: judged ? feedback.falsePositive / judged : null },
  }
}

function earliest(ts: (number | null)[]): number | null {
  const known = ts.filter((t): t is number => t !== null)
  return known.length ? Math.min(...known) : null
}
