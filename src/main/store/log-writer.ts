import type { Database, Statement } from 'better-sqlite3'
import type { ScoreBatch } from '../../shared/samples.ts'
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
  private readonly insEvent: Statement
  private readonly modelRefs = new Map<string, number>()
  private readonly assets: Map<string, AssetRows>

  constructor(db: Database, assets: Map<string, AssetRows>) {
    this.assets = assets
    // The no-op update makes RETURNING give the id of an existing row too.
    this.upsertModel = db
      .prepare(
        'INSERT INTO models (asset_id, model, version, tags) VALUES (?, ?, ?, ?) ON CONFLICT (asset_id, model, version) DO UPDATE SET tags = excluded.tags RETURNING id',
      )
      .pluck()
    this.insPrediction = db.prepare(
      'INSERT INTO prediction_logs (model_ref, t, score, threshold, anomaly, contrib, sensor_state, latency_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    )
    this.insEvent = db.prepare(
      'INSERT INTO events (t, asset_id, kind, severity, message, data) VALUES (?, ?, ?, ?, ?, ?)',
    )
  }

  scores(b: ScoreBatch): void {
    const ref = this.modelRef(b)
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

  events(list: StoredEvent[]): void {
    for (const e of list) {
      const asset = e.assetId === undefined ? null : this.assetRow(e.assetId)
      const data = e.data === undefined ? null : JSON.stringify(e.data)
      this.insEvent.run(e.t, asset, e.kind, e.severity, e.message, data)
    }
  }

  private modelRef(b: ScoreBatch): number {
    const key = `${b.assetId}\0${b.modelId}\0${b.modelVersion}`
    let ref = this.modelRefs.get(key)
    if (ref === undefined) {
      ref = this.upsertModel.get(
        this.assetRow(b.assetId),
        b.modelId,
        b.modelVersion,
        JSON.stringify(b.tags),
      ) as number
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
