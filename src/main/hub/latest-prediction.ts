import type { PredictionBatch } from '../../shared/samples.ts'

/**
 * The last row of a prediction batch, as a batch of one: what a snapshot carries for a model.
 * Per-row columns are sliced (copies, so the hub keeps nothing a writer may take over); a
 * batch of one row is returned as it is.
 */
export function latestPrediction(b: PredictionBatch): PredictionBatch {
  const n = b.t.length
  if (n <= 1) return b
  const i = n - 1
  const row = <T extends Float64Array | Uint8Array>(c: T) => c.slice(i, i + 1) as T
  const out: PredictionBatch = { ...b, t: row(b.t), value: row(b.value), flagged: row(b.flagged) }
  if (b.spread) out.spread = row(b.spread)
  if (b.confidence) out.confidence = row(b.confidence)
  if (b.unit) out.unit = row(b.unit)
  if (b.members) out.members = Object.fromEntries(Object.entries(b.members).map(([k, v]) => [k, row(v)]))
  if (b.actions && b.actionTags) {
    const k = b.actionTags.length
    out.actions = b.actions.slice(i * k, (i + 1) * k)
  }
  if (b.advice) out.advice = b.advice.slice(i, i + 1)
  return out
}
