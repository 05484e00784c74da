/**
 * Quality of one value, as bit flags in a Uint8Array beside the values. Validation marks a
 * value without ever dropping it: the raw value is kept and stored; quality says how far to
 * trust it. 0 is good.
 */
export const Q = {
  GOOD: 0,
  OUT_OF_RANGE: 1,
  RATE: 2,
  STUCK: 4,
  MISSING: 8,
  /** The source itself doubts the value (an OPC UA Uncertain status): kept, and flagged. */
  UNCERTAIN: 16,
} as const

const labels: [number, string][] = [
  [Q.MISSING, 'missing'],
  [Q.OUT_OF_RANGE, 'out of range'],
  [Q.RATE, 'rate of change'],
  [Q.STUCK, 'stuck'],
  [Q.UNCERTAIN, 'uncertain'],
]

/** 'good' or the failed checks, most serious first: 'missing', 'out of range, stuck'. */
export function qualityLabel(q: number): string {
  if (q === Q.GOOD) return 'good'
  return labels
    .filter(([bit]) => (q & bit) !== 0)
    .map(([, l]) => l)
    .join(', ')
}
