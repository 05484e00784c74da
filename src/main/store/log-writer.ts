import type { Database, Statement } from 'better-sqlite3'
import type { PredictionBatch, ScoreBatch } from '../../shared/samples.ts'
import type { AssetRows } from './asset-sync.ts'
import { blobOf } from './block-codec.ts'
import type { StoredEvent } from './history-types.ts'

/**
 * Model outputs and events: one row per window or event, which at one window per second per
 * model is far below what row-at-a-time inserts sustain. Runs inside the caller's transaction.
 */
export class LogWriter {
  private readonly upsertModel: Statement
  private readonly insPrediction: Statement
  private readonly insPredictorRow: Statement
  private readonly insEvent: Statement
  private readonly modelRefs = new Map<string, number>()
  private readonly assets: Map<string, AssetRows>

  constructor(db: Database, assets: Map<string, AssetRows>) {
    this.assets = assets
    // The no-op update makes RETURNING give the id of an existing row too.
    this.upsertModel = db
      .prepare(
        'INSERT INTO models (asset_id, model, version, tags, kind) VALUES (?, ?, ?, ?, ?) ON CONFLICT (asset_id, model, version) DO UPDATE SET tags = excluded.tags, kind = excluded.kind RETURNING id',
      )
      .pluck()
    this.insPrediction = db.prepare(
      'INSERT INTO prediction_logs (model_ref, t, score, threshold, anomaly, contrib, sensor_state, latency_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    )
    this.insPredictorRow = db.prepare(
      'INSERT INTO prediction_logs (model_ref, t, score, threshold, anomaly, latency_ms, outputs) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    this.insEvent = db.prepare(
      'INSERT INTO events (t, asset_id, kind, severity, message, data) VALUES (?, ?, ?, ?, ?, ?)',
    )
  }

  scores(b: ScoreBatch): void {
    const ref = this.modelRef(b.assetId, b.modelId, b.modelVersion, b.tags, null)
    const width = b.tags.length
    for (let i = 0; i < b.t.length; i++) {
      // NaN binds as SQL NULL, which reads back as NaN.
      this.insPrediction.run(
        ref,
        b.t[i],
        b.score[i],
        b.threshold,
        b.anomaly[i],
        blobOf(b.contrib, i * width, (i + 1) * width),
        blobOf(b.sensorState, i * width, (i + 1) * width),
        b.latencyMs,
      )
    }
  }

  /** A predictor's outputs: its main value as the row's score, the rest as JSON (outputsOf). */
  predictions(b: PredictionBatch): void {
    const ref = this.modelRef(b.assetId, b.modelId, b.modelVersion, b.actionTags ?? [], b.kind)
    for (let i = 0; i < b.t.length; i++)
      this.insPredictorRow.run(
        ref,
        b.t[i],
        b.value[i],
        b.threshold,
        b.flagged[i],
        b.latencyMs,
        outputsOf(b, i),
      )
  }

  events(list: StoredEvent[]): void {
    for (const e of list) {
      const asset = e.assetId === undefined ? null : this.assetRow(e.assetId)
      const data = e.data === undefined ? null : JSON.stringify(e.data)
      this.insEvent.run(e.t, asset, e.kind, e.severity, e.message, data)
    }
  }

  private modelRef(
    assetId: string,
    model: string,
    version: string,
    tags: string[],
    kind: string | null,
  ): number {
    const key = `${assetId}\0${model}\0${version}`
    let ref = this.modelRefs.get(key)
    if (ref === undefined) {
      ref = this.upsertModel.get(this.assetRow(assetId), model, version, JSON.stringify(tags), kind) as number
      this.modelRefs.set(key, ref)
    }
    return ref
  }

  private assetRow(id: string): number {
    const rows = this.assets.get(id)
    if (!rows) throw new Error(`history writer: no asset "${id}" in the file`)
    return rows.assetRow
  }
}

/** NaN (a missing input) as null: JSON has no NaN. */
const num = (x: number | undefined) => (x === undefined || x !== x ? null : x)

/** Row i's outputs beside the main value, as stored in prediction_logs.outputs (log-query.ts reads them back). */
export function outputsOf(b: PredictionBatch, i: number): string {
  const o: Record<string, unknown> = {}
  if (b.spread) o.spread = num(b.spread[i])
  if (b.confidence) o.confidence = num(b.confidence[i])
  if (b.members) o.members = Object.fromEntries(Object.entries(b.members).map(([k, v]) => [k, num(v[i])]))
  if (b.unit) o.unit = num(b.unit[i])
  if (b.actions && b.actionTags) {
    const A = b.actionTags.length
    o.actions = Array.from(b.actions.subarray(i * A, (i + 1) * A), (v) => num(v))
  }
  if (b.advice) o.advice = b.advice[i] ?? null
  return JSON.stringify(o)
}
