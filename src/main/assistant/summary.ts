import type { Contributor, Explanation } from '../../shared/assistant-channels.ts'

/** "12 min", "3 h 05 min", "2 d 4 h": durations read at a glance. */
export function duration(ms: number): string {
  const m = Math.max(0, Math.round(ms / 60_000))
  if (m < 1) return `${Math.max(0, Math.round(ms / 1000))} s`
  if (m < 60) return `${m} min`
  const h = Math.floor(m / 60)
  if (h < 48) return `${h} h ${String(m % 60).padStart(2, '0')} min`
  return `${Math.floor(h / 24)} d ${h % 24} h`
}

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3))

/** "Bearing temperature 78.2 °C, 6.1 σ above its normal 64.0 °C (41 % of the model's error; normal 10 %)". */
export function contributorText(c: Contributor): string {
  const parts = [`${c.name} ${c.value === null ? 'no value' : `${fmt(c.value)} ${c.unit}`.trim()}`]
  if (c.z !== null && c.normalMean !== null) {
    const side = c.z >= 0 ? 'above' : 'below'
    parts.push(`${Math.abs(c.z).toFixed(1)} σ ${side} its normal ${fmt(c.normalMean)} ${c.unit}`.trimEnd())
  }
  if (c.share !== null)
    parts.push(
      `${Math.round(c.share * 100)} % of the model's error${
        c.normalShare === null ? '' : ` (normally ${Math.round(c.normalShare * 100)} %)`
      }`,
    )
  if (c.limit && c.value !== null) parts.push(`${c.limit.name} limit ${fmt(c.limit.value)}`)
  return parts.join(', ')
}

/**
 * The explanation in a few sentences, from its own figures: when it started and how long it
 * has been building, the key sensors, the most likely cause, what was seen before. Times are
 * durations relative to the moment explained, so the text reads the same in every time zone.
 */
export function explanationSummary(e: Explanation, keys: string[]): string[] {
  const out: string[] = []
  const b = e.buildup
  if (b.anomalousSince !== null) {
    const rise =
      b.risingSince !== null && b.risingSince < b.anomalousSince
        ? `; the score had been rising above its normal band for ${duration(b.anomalousSince - b.risingSince)} before that`
        : ''
    out.push(
      `${e.modelId} has called ${e.assetId} ANOMALY for ${duration(e.subject.at - b.anomalousSince)}${rise}.`,
    )
  } else if (b.risingSince !== null)
    out.push(
      `${e.modelId}'s score has been above its normal band for ${duration(e.subject.at - b.risingSince)}, still under the threshold.`,
    )
  else if (e.modelId && b.score !== null) out.push(`${e.modelId}'s score is within its normal band.`)
  else if (!e.modelId)
    out.push(`No model scores ${e.assetId}: sensors are ranked by how far they moved from their normal.`)
  if (b.score !== null && b.threshold !== null)
    out.push(`Score ${fmt(b.score)} against threshold ${fmt(b.threshold)}${b.trend ? `, ${b.trend}` : ''}.`)
  const lead = keys.map((k) => e.contributors.find((c) => c.tag === k)).filter((c) => c !== undefined)
  if (lead.length) out.push(`Leading sensors: ${lead.map(contributorText).join('; ')}.`)
  const cause = e.causes.find((c) => c.match > 0)
  if (cause)
    out.push(`Most likely: ${cause.cause} (${cause.matched.join(', ')}). First check: ${cause.checks[0]}.`)
  if (e.similar.length) {
    const last = e.similar[0]!
    out.push(
      `Seen before: ${e.similar.length} similar event${e.similar.length > 1 ? 's' : ''}, the latest ${duration(
        e.subject.at - last.at,
      )} ago (${last.title})${last.notes ? `: "${last.notes}"` : ''}.`,
    )
  } else out.push('No similar event in this asset’s stored history.')
  return out
}
