import type { Health } from '../../../shared/contract.ts'

/** One answer of system.health and when it arrived (ms, any monotonic clock). */
export interface HealthReading {
  h: Health
  at: number
}

export interface Rates {
  samplesPerS: number
  windowsPerS: number
  storedPerS: number
  /** Samples per second per asset, from the engine's per-asset counts. */
  perAsset: Record<string, number>
  /** Seconds between the two readings. */
  overS: number
}

/**
 * Throughput from two successive readings of the engine's running counts: the engine keeps
 * totals (cheap, exact), the view divides their change by the time between answers. Null
 * when there is nothing to divide by, or the engine restarted between the readings (its
 * counts began again).
 */
export function ratesBetween(prev: HealthReading | null, cur: HealthReading): Rates | null {
  if (!prev || prev.h.startedAt !== cur.h.startedAt) return null
  const s = (cur.at - prev.at) / 1000
  if (!(s > 0)) return null
  const per = (a: number, b: number) => Math.max(0, b - a) / s
  const before = new Map((prev.h.assets ?? []).map((a) => [a.assetId, a.samplesIn]))
  const perAsset: Record<string, number> = {}
  for (const a of cur.h.assets ?? []) {
    const was = before.get(a.assetId)
    if (was !== undefined) perAsset[a.assetId] = per(was, a.samplesIn)
  }
  return {
    samplesPerS: per(prev.h.samplesIn, cur.h.samplesIn),
    windowsPerS: per(prev.h.windowsScored, cur.h.windowsScored),
    storedPerS: per(prev.h.samplesStored, cur.h.samplesStored),
    perAsset,
    overS: s,
  }
}

/** A rate as people read it: "0", "3.2", "1,250". */
export function formatRate(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '—'
  if (v >= 100) return Math.round(v).toLocaleString()
  return v.toFixed(v >= 10 ? 1 : 2)
}
