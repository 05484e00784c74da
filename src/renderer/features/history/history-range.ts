/*
 * The time range the history view shows: presets that end at the asset's newest stored
 * sample (simulated and imported data need not end now), zoom and pan steps, the periods a
 * range can be compared with, and the local date-time text of <input type="datetime-local">.
 */

export interface TimeRange {
  from: number
  to: number
}

const HOUR = 3_600_000
const DAY = 24 * HOUR

export const PRESETS = [
  { id: '1h', label: '1 h', ms: HOUR },
  { id: '24h', label: '24 h', ms: DAY },
  { id: '7d', label: '7 d', ms: 7 * DAY },
  { id: '30d', label: '30 d', ms: 30 * DAY },
] as const
export type PresetId = (typeof PRESETS)[number]['id'] | 'custom'

export const COMPARES = [
  { id: 'none', label: 'No comparison', suffix: '' },
  { id: 'previous', label: 'The period before', suffix: 'period before' },
  { id: '1d', label: '1 day earlier', suffix: '−1 d' },
  { id: '7d', label: '1 week earlier', suffix: '−7 d' },
] as const
export type CompareId = (typeof COMPARES)[number]['id']

/** The shortest span a zoom reaches: below a second the pump's 1 Hz has nothing to show. */
export const MIN_SPAN = 1000

/** How far back the compared period lies (0: none). */
export function compareShift(id: CompareId, r: TimeRange): number {
  if (id === 'previous') return r.to - r.from
  if (id === '1d') return DAY
  if (id === '7d') return 7 * DAY
  return 0
}

/** A preset ending just after the newest stored sample (ranges are half-open), or now when none is stored. */
export function presetRange(ms: number, newest: number | null, now = Date.now()): TimeRange {
  const to = newest === null ? now : newest + 1
  return { from: to - ms, to }
}

/** The range a drag picked, widened about its middle to at least MIN_SPAN. */
export function zoomTo(a: number, b: number): TimeRange {
  const from = Math.min(a, b)
  const to = Math.max(a, b)
  if (to - from >= MIN_SPAN) return { from, to }
  const mid = (from + to) / 2
  return { from: mid - MIN_SPAN / 2, to: mid + MIN_SPAN / 2 }
}

/** Twice the span about the same middle. */
export function zoomOut(r: TimeRange): TimeRange {
  const half = r.to - r.from
  const mid = (r.from + r.to) / 2
  return { from: mid - half, to: mid + half }
}

/** Moved by a fraction of its span: -0.5 is half a view back in time. */
export function pan(r: TimeRange, fraction: number): TimeRange {
  const d = (r.to - r.from) * fraction
  return { from: r.from + d, to: r.to + d }
}

/** A span in the largest unit that keeps it readable: "45 s", "90 min", "36 h", "30 d". */
export function formatSpan(ms: number): string {
  const s = ms / 1000
  if (s < 120) return `${Math.round(s)} s`
  if (s < 2 * 3600) return `${Math.round(s / 60)} min`
  if (s < 2 * 86400) return `${Math.round(s / 3600)} h`
  return `${Math.round(s / 86400)} d`
}
