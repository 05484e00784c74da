import type { Contributor } from '../../../shared/assistant-channels.ts'

/** #/assistant/<asset>/<alarm id>: the alarm id holds slashes, so it is the rest of the route. */
export function assistantTarget(params: string[]): { assetId: string | null; alarmId: string | null } {
  return { assetId: params[0] ?? null, alarmId: params.length > 1 ? params.slice(1).join('/') : null }
}

/** Width (0..100 %) of a deviation bar: |z| on a scale that saturates at 10 sigma. */
export const deviationWidth = (z: number | null): number =>
  z === null ? 0 : Math.min(100, (Math.abs(z) / 10) * 100)

/** Colour is for abnormal only: a sensor 3 sigma away, or past its limit, is marked; 2-3 sigma is "moved". */
export function contributorClass(c: Contributor): '' | 'moved' | 'abnormal' {
  const past =
    c.limit !== null &&
    c.value !== null &&
    ((c.direction === 'high' && c.value >= c.limit.value) ||
      (c.direction === 'low' && c.value <= c.limit.value))
  if (past || Math.abs(c.z ?? 0) >= 3) return 'abnormal'
  return c.direction === 'normal' ? '' : 'moved'
}

/** "41 %" */
export const percent = (x: number | null): string => (x === null ? '—' : `${Math.round(x * 100)} %`)

/** "+6.1 σ" */
export const sigma = (z: number | null): string =>
  z === null ? '—' : `${z >= 0 ? '+' : '−'}${Math.abs(z).toFixed(1)} σ`
