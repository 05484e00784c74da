import type { ModelCard } from '../../../shared/model-card.ts'

/*
 * A model card as a person reads it: its free-form training and metrics records flattened
 * to "key path: value" rows, and in words how it splits an anomaly among the sensors.
 */

export type Fact = [key: string, value: string]

function text(v: unknown): string {
  if (typeof v === 'number')
    return Number.isInteger(v) ? v.toLocaleString('en') : String(Number(v.toPrecision(4)))
  if (typeof v === 'string') return v.length > 160 ? `${v.slice(0, 159)}…` : v
  if (typeof v === 'boolean') return v ? 'yes' : 'no'
  if (v === null || v === undefined) return '—'
  return JSON.stringify(v)
}

/**
 * Leaves of a nested record as dotted paths, depth-first in the record's order. Arrays of
 * scalars print whole when short, else as a count; `skip` drops subtrees by path.
 */
export function flatten(rec: Record<string, unknown>, skip: string[] = [], prefix = ''): Fact[] {
  const out: Fact[] = []
  for (const [k, v] of Object.entries(rec)) {
    const path = prefix ? `${prefix}.${k}` : k
    if (skip.includes(path)) continue
    if (Array.isArray(v)) {
      const scalar = v.every((x) => typeof x !== 'object' || x === null)
      out.push([path, scalar && v.length <= 6 ? v.map(text).join(', ') : `${v.length} values`])
    } else if (v && typeof v === 'object') out.push(...flatten(v as Record<string, unknown>, skip, path))
    else out.push([path, text(v)])
  }
  return out
}

/** The figures a card leads with: its top-level numbers and the rates one level down (false alarms). */
export function headlineMetrics(card: ModelCard): Fact[] {
  const out: Fact[] = []
  for (const [k, v] of Object.entries(card.metrics)) {
    if (typeof v === 'number' || typeof v === 'string') out.push([k, text(v)])
    else if (v && typeof v === 'object' && !Array.isArray(v))
      for (const [k2, v2] of Object.entries(v as Record<string, unknown>)) {
        const rate = v2 && typeof v2 === 'object' ? (v2 as Record<string, unknown>).rate : undefined
        if (typeof rate === 'number') out.push([`${k} (${k2})`, `${(rate * 100).toFixed(2)} %`])
      }
  }
  return out
}

/** How the model divides a window's error among its sensors, in words. */
export function contributionDefinition(card: ModelCard): string {
  const given = (card.metrics.contributions as { definition?: unknown } | undefined)?.definition
  if (typeof given === 'string') return given
  switch (card.kind) {
    case 'pca':
      return 'Each sensor’s share of T²/T²lim + Q/Qlim (a complete decomposition): the shares of a row sum to 1.'
    case 'classifier':
      // classifier-scorer.ts: trees have no reconstruction to split, so shares come from how far each tag moved.
      return 'Each sensor’s share of how far the window sits from the middle of its training range, weighted by the sensor’s importance to the model when the card gives it: not a split of the probability itself.'
    case 'rul':
    case 'defect':
    case 'policy':
      // Their outputs (cycles left, a probability, setpoints) are not split by sensor anywhere in the engine.
      return `None: a ${KIND_OUTPUT[card.kind]} is not split by sensor. The tags it reads are listed below.`
    case 'autoencoder':
      return card.inputs.errorBaseline
        ? 'Each sensor’s share of the reconstruction error, its error counted in units of its normal error (inputs.errorBaseline) up to that baseline: a sensor behaving normally holds about 1/tags.'
        : 'Each sensor’s share of the window’s mean absolute reconstruction error: the shares of a window sum to 1.'
  }
}

const KIND_OUTPUT = {
  rul: 'remaining-life estimate',
  defect: 'defect probability',
  policy: 'setpoint suggestion',
} as const

/** Per tag: the range it was scaled over and, when the card has it, its normal error or its mean and spread. */
export function tagRows(card: ModelCard): { tag: string; range: string; normal: string }[] {
  const { tags, scaler, errorBaseline } = card.inputs
  return tags.map((tag, j) => ({
    tag,
    range: `${text(scaler.min[j])} … ${text(scaler.max[j])}`,
    normal: card.pca
      ? `mean ${text(card.pca.mean[j])}, std ${text(card.pca.std[j])}`
      : errorBaseline
        ? `error ${text(errorBaseline[j])}`
        : '—',
  }))
}
