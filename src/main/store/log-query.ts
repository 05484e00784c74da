import type { Database, Statement } from 'better-sqlite3'
import { VigilError } from '../../shared/errors.ts'
import type { AssetConfig } from '../../shared/plant.ts'
import { f64Of, u8Of } from './block-codec.ts'
import type {
  EventRequest,
  PredictionLog,
  PredictionRequest,
  ScoreRequest,
  ScoreSeries,
  StoredEvent,
} from './history-types.ts'

const nan = (x: number | null) => (x === null ? NaN : x)
/** The lower of a and x where NaN means none. */
const lower = (a: number, x: number) => (x !== x || a <= x ? a : x)
const upper = (a: number, x: number) => (x !== x || a >= x ? a : x)

/** Reads model outputs and events on the read-only connection. Ranges are half-open: [from, to). */
export class LogReader {
  private readonly db: Database
  private readonly assets: AssetConfig[]
  private readonly assetRow: Statement
  private readonly models: Statement
  private readonly count: Statement
  private readonly rawScores: Statement
  private readonly bucketScores: Statement
  private readonly logRows: Statement
  private readonly eventRows: Statement

  constructor(db: Database, assets: AssetConfig[]) {
    this.db = db
    this.assets = assets
    this.assetRow = db.prepare('SELECT id FROM assets WHERE asset = ?').pluck()
    this.models = db.prepare(
      'SELECT id, model, version, tags FROM models WHERE asset_id = ? ORDER BY model, id',
    )
    const refs = 'model_ref IN (SELECT id FROM models WHERE asset_id = @asset AND model = @model)'
    const span = 't >= @from AND t < @to'
    this.count = db.prepare(`SELECT count(*) FROM prediction_logs WHERE ${refs} AND ${span}`).pluck()
    this.rawScores = db
      .prepare(
        `SELECT t, score, threshold, anomaly FROM prediction_logs WHERE ${refs} AND ${span} ORDER BY t`,
      )
      .raw()
    // Bound numbers are REAL, so the bucket index is made an integer explicitly.
    this.bucketScores = db
      .prepare(
        `SELECT CAST((t - @from) * @scale AS INTEGER) AS b, min(score), max(score), max(threshold), sum(anomaly)
         FROM prediction_logs WHERE ${refs} AND ${span} GROUP BY b`,
      )
      .raw()
    this.logRows = db
      .prepare(
        `SELECT t, score, threshold, anomaly, contrib, sensor_state, latency_ms FROM prediction_logs
         WHERE model_ref = ? AND t >= ? AND t < ? ORDER BY t LIMIT ?`,
      )
      .raw()
    this.eventRows = db.prepare(
      `SELECT e.id, e.t, a.asset, e.kind, e.severity, e.message, e.data FROM events e
       LEFT JOIN assets a ON a.id = e.asset_id
       WHERE e.t >= @from AND e.t < @to AND (@asset IS NULL OR a.asset = @asset) AND (@kind IS NULL OR e.kind = @kind)
       ORDER BY e.t, e.id LIMIT @limit`,
    )
  }

  scores(req: ScoreRequest): ScoreSeries[] {
    return this.db.transaction(() => {
      const refs = this.modelRefs(req.assetId, req.modelId)
      const names = [...new Set(refs.map((r) => r.model))]
      if (req.modelId !== undefined && names.length === 0) names.push(req.modelId)
      return names.map((model) => {
        const version = refs.findLast((r) => r.model === model)?.version ?? ''
        return { modelId: model, modelVersion: version, ...this.series(req, model) }
      })
    })()
  }

  private series(req: ScoreRequest, model: string): Omit<ScoreSeries, 'modelId' | 'modelVersion'> {
    const p = { asset: this.assetId(req.assetId), model, from: req.from, to: req.to }
    if ((this.count.get(p) as number) <= req.maxPoints) {
      const rows = this.rawScores.all(p) as [number, number | null, number | null, number][]
      const col = (j: number) => Float64Array.from(rows, (r) => nan(r[j]!))
      const score = col(1)
      return { raw: true, t: col(0), min: score, max: score, threshold: col(2), anomalies: col(3) }
    }
    const w = req.maxPoints
    const scale = w / (req.to - req.from)
    const t = Float64Array.from({ length: w }, (_, b) => req.from + b / scale)
    const [min, max, threshold, anomalies] = [0, 1, 2, 3].map(() => new Float64Array(w).fill(NaN)) as [
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
    ]
    type Bucket = [number, number | null, number | null, number | null, number]
    for (const r of this.bucketScores.iterate({ ...p, scale }) as Iterable<Bucket>) {
      // A window a rounding error short of `to` lands in the last bucket, not past it.
      const b = Math.min(w - 1, r[0])
      min[b] = lower(min[b]!, nan(r[1]))
      max[b] = upper(max[b]!, nan(r[2]))
      threshold[b] = upper(threshold[b]!, nan(r[3]))
      anomalies[b] = (anomalies[b]! === anomalies[b]! ? anomalies[b]! : 0) + r[4]
    }
    return { raw: false, t, min, max, threshold, anomalies }
  }

  predictions(req: PredictionRequest): PredictionLog[] {
    return this.db.transaction(() =>
      this.modelRefs(req.assetId, req.modelId).flatMap((ref) => {
        const rows = this.logRows.all(ref.id, req.from, req.to, req.limit ?? 10_000) as [
          number,
          number | null,
          number | null,
          number,
          Buffer | null,
          Buffer | null,
          number | null,
        ][]
        if (rows.length === 0) return []
        const tags = JSON.parse(ref.tags) as string[]
        const contrib = new Float64Array(rows.length * tags.length)
        const sensorState = new Uint8Array(rows.length * tags.length)
        rows.forEach((r, i) => {
          if (r[4]) contrib.set(f64Of(r[4]), i * tags.length)
          if (r[5]) sensorState.set(u8Of(r[5]), i * tags.length)
        })
        const col = (j: number) => Float64Array.from(rows, (r) => nan(r[j] as number | null))
        return [
          {
            assetId: req.assetId,
            modelId: ref.model,
            modelVersion: ref.version,
            tags,
            t: col(0),
            score: col(1),
            threshold: col(2),
            anomaly: Uint8Array.from(rows, (r) => r[3]),
            contrib,
            sensorState,
            latencyMs: col(6),
          },
        ]
      }),
    )()
  }

  events(req: EventRequest): (StoredEvent & { id: number })[] {
    if (req.assetId !== undefined) this.assetId(req.assetId)
    const rows = this.eventRows.all({
      from: req.from,
      to: req.to,
      asset: req.assetId ?? null,
      kind: req.kind ?? null,
      limit: req.limit ?? 1000,
    }) as {
      id: number
      t: number
      asset: string | null
      kind: string
      severity: string
      message: string
      data: string | null
    }[]
    return rows.map((r) => ({
      id: r.id,
      t: r.t,
      kind: r.kind,
      severity: r.severity,
      message: r.message,
      ...(r.asset === null ? {} : { assetId: r.asset }),
      ...(r.data === null ? {} : { data: JSON.parse(r.data) as unknown }),
    }))
  }

  /** Model versions that scored the asset; a configured model that has not scored yet gives none. */
  private modelRefs(
    assetId: string,
    modelId?: string,
  ): { id: number; model: string; version: string; tags: string }[] {
    const all = this.models.all(this.assetId(assetId)) as {
      id: number
      model: string
      version: string
      tags: string
    }[]
    if (modelId === undefined) return all
    const refs = all.filter((r) => r.model === modelId)
    const configured = this.assets.find((a) => a.id === assetId)?.models.includes(modelId)
    if (refs.length === 0 && !configured) {
      throw new VigilError('not-found', `history: asset "${assetId}" has no model "${modelId}"`)
    }
    return refs
  }

  private assetId(assetId: string): number {
    const row = this.assetRow.get(assetId) as number | undefined
    if (row === undefined) throw new VigilError('not-found', `history: no asset "${assetId}" in the store`)
    return row
  }
}
