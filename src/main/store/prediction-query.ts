import type { Database, Statement } from 'better-sqlite3'
import { VigilError } from '../../shared/errors.ts'
import type { ModelFigures, ModelPredictions } from '../../shared/model-channels.ts'

/*
 * What every model predicted, for MLOps: the logged outputs of one model on one asset
 * (the RUL trend, the defect history, model comparison), and per model the figures over a
 * range: how many outputs, the model call's latency p50/p99 per output, and the share of
 * outputs past the threshold. Detector windows and predictor outputs share prediction_logs.
 */

/** Past this many rows a model's latency percentiles are taken over an even sample of them. */
const LATENCY_ROWS = 200_000

const nan = (x: number | null | undefined) => (x === null || x === undefined ? NaN : x)

interface Ref {
  id: number
  asset: string
  model: string
  version: string
  kind: string | null
  tags: string
}

export interface FiguresRequest {
  modelId?: string
  assetId?: string
  from: number
  to: number
}

export interface PredictionsRequest {
  assetId: string
  modelId: string
  from: number
  to: number
  limit?: number
}

interface Outputs {
  spread?: number | null
  confidence?: number | null
  members?: Record<string, number | null>
  unit?: number | null
  actions?: (number | null)[]
  advice?: unknown
}

export class PredictionReader {
  private readonly db: Database
  private readonly refs: Statement
  private readonly totals: Statement
  private readonly latencyAt: Statement
  private readonly latencyRows: Statement
  private readonly rows: Statement

  constructor(db: Database) {
    this.db = db
    this.refs = db.prepare(
      `SELECT m.id, a.asset, m.model, m.version, m.kind, m.tags FROM models m JOIN assets a ON a.id = m.asset_id
       WHERE (@model IS NULL OR m.model = @model) AND (@asset IS NULL OR a.asset = @asset) ORDER BY m.model, m.id`,
    )
    const span = 'model_ref IN (SELECT value FROM json_each(@refs)) AND t >= @from AND t < @to'
    this.totals = db
      .prepare(
        `SELECT count(*), coalesce(sum(anomaly), 0), count(latency_ms), min(t), max(t) FROM prediction_logs WHERE ${span}`,
      )
      .raw()
    // The k-th smallest latency of the rows kept (every step-th row by id past LATENCY_ROWS).
    this.latencyAt = db
      .prepare(
        `SELECT latency_ms FROM prediction_logs WHERE ${span} AND latency_ms IS NOT NULL AND id % @step = 0
         ORDER BY latency_ms LIMIT 1 OFFSET @k`,
      )
      .pluck()
    this.latencyRows = db
      .prepare(
        `SELECT count(*) FROM prediction_logs WHERE ${span} AND latency_ms IS NOT NULL AND id % @step = 0`,
      )
      .pluck()
    this.rows = db
      .prepare(
        `SELECT t, score, threshold, anomaly, latency_ms, outputs FROM prediction_logs
         WHERE model_ref = ? AND t >= ? AND t < ? ORDER BY t LIMIT ?`,
      )
      .raw()
  }

  figures(req: FiguresRequest): ModelFigures[] {
    return this.db.transaction(() => {
      const refs = this.refs.all({ model: req.modelId ?? null, asset: req.assetId ?? null }) as Ref[]
      if (refs.length === 0 && req.modelId !== undefined)
        throw new VigilError(
          'not-found',
          `models.figures: no model "${req.modelId}" has logged predictions${req.assetId ? ` for asset "${req.assetId}"` : ''}`,
        )
      const byModel = new Map<string, Ref[]>()
      for (const r of refs) byModel.set(r.model, [...(byModel.get(r.model) ?? []), r])
      return [...byModel].map(([model, list]) => this.modelFigures(model, list, req))
    })()
  }

  private modelFigures(model: string, list: Ref[], req: FiguresRequest): ModelFigures {
    const p = { refs: JSON.stringify(list.map((r) => r.id)), from: req.from, to: req.to }
    const [count, flagged, timed, first, last] = this.totals.get(p) as [
      number,
      number,
      number,
      number | null,
      number | null,
    ]
    const step = Math.max(1, Math.ceil(timed / LATENCY_ROWS))
    const kept = step === 1 ? timed : (this.latencyRows.get({ ...p, step }) as number)
    const at = (q: number) =>
      kept === 0
        ? null
        : nan(
            this.latencyAt.get({ ...p, step, k: Math.min(kept - 1, Math.floor(q * (kept - 1))) }) as
              number | null,
          )
    return {
      modelId: model,
      kind: list.find((r) => r.kind)?.kind ?? 'detector',
      versions: [...new Set(list.map((r) => r.version))],
      assets: [...new Set(list.map((r) => r.asset))],
      count,
      latencyMs: { p50: at(0.5), p99: at(0.99), sampled: step > 1 },
      alarmRate: count > 0 ? flagged / count : null,
      from: first,
      to: last,
    }
  }

  predictions(req: PredictionsRequest): ModelPredictions[] {
    return this.db.transaction(() => {
      const refs = this.refs.all({ model: req.modelId, asset: req.assetId }) as Ref[]
      if (refs.length === 0)
        throw new VigilError(
          'not-found',
          `models.predictions: asset "${req.assetId}" has no logged predictions of model "${req.modelId}"`,
        )
      const limit = req.limit ?? 10_000
      return refs.flatMap((ref) => {
        const rows = this.rows.all(ref.id, req.from, req.to, limit + 1) as [
          number,
          number | null,
          number | null,
          number,
          number | null,
          string | null,
        ][]
        if (rows.length === 0) return []
        const truncated = rows.length > limit
        if (truncated) rows.pop()
        return [seriesOf(ref, rows, truncated)]
      })
    })()
  }
}

function seriesOf(
  ref: Ref,
  rows: [number, number | null, number | null, number, number | null, string | null][],
  truncated: boolean,
): ModelPredictions {
  const n = rows.length
  const col = (j: number) => Float64Array.from(rows, (r) => nan(r[j] as number | null))
  const outs = rows.map((r) => (r[5] ? (JSON.parse(r[5]) as Outputs) : {}))
  const series: ModelPredictions = {
    assetId: ref.asset,
    modelId: ref.model,
    modelVersion: ref.version,
    kind: ref.kind ?? 'detector',
    t: col(0),
    value: col(1),
    threshold: col(2),
    flagged: Uint8Array.from(rows, (r) => r[3]),
    latencyMs: col(4),
    truncated,
  }
  const first = outs[0] ?? {}
  const pick = (f: (o: Outputs) => number | null | undefined) => Float64Array.from(outs, (o) => nan(f(o)))
  if ('spread' in first) series.spread = pick((o) => o.spread)
  if ('confidence' in first) series.confidence = pick((o) => o.confidence)
  if ('unit' in first) series.unit = pick((o) => o.unit)
  if (first.members)
    series.members = Object.fromEntries(
      Object.keys(first.members).map((k) => [k, pick((o) => o.members?.[k])]),
    )
  if (first.actions) {
    const tags = JSON.parse(ref.tags) as string[]
    const A = tags.length
    const actions = new Float64Array(n * A)
    outs.forEach((o, i) => tags.forEach((_, k) => (actions[i * A + k] = nan(o.actions?.[k]))))
    series.actions = actions
    series.actionTags = tags
  }
  if (outs.some((o) => o.advice !== undefined)) series.advice = outs.map((o) => o.advice ?? null)
  return series
}
