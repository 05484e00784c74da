import { SensorState, type ScoreBatch } from '../../shared/samples.ts'
import { ANOMALOUS_SHARE } from '../pipeline/asset-scoring.ts'
import type { ThresholdRow } from '../store/record-types.ts'

const key = (assetId: string, modelId: string) => `${assetId}\u0000${modelId}`

/**
 * Thresholds accepted per asset and model, in place of the card's. The pipeline threads score
 * with the card's threshold; the engine passes each score batch through apply() before anyone
 * sees it (hub, alarms, maintenance, store), so a new threshold takes effect with the next
 * batch, without a restart and without touching the threads.
 */
export class ModelThresholds {
  private readonly rows = new Map<string, ThresholdRow>()

  constructor(rows: ThresholdRow[] = []) {
    for (const r of rows) this.rows.set(key(r.assetId, r.modelId), r)
  }

  get(assetId: string, modelId: string): ThresholdRow | undefined {
    return this.rows.get(key(assetId, modelId))
  }

  set(row: ThresholdRow): void {
    this.rows.set(key(row.assetId, row.modelId), row)
  }

  /** The batch as the accepted threshold judges it; the same object when none is accepted. */
  apply(b: ScoreBatch): ScoreBatch {
    const row = this.rows.get(key(b.assetId, b.modelId))
    if (!row || row.threshold === b.threshold) return b
    return rejudge(b, row.threshold)
  }
}

/**
 * Re-marks a batch's windows against another threshold: ANOMALY where the score is above it,
 * and each sensor's state as the pipeline marks it (asset-scoring.ts): ANOMALOUS only in an
 * anomalous window with a large share of the error. CRITICAL and BAD_DATA come from the values,
 * not the model, and stay.
 */
export function rejudge(b: ScoreBatch, threshold: number): ScoreBatch {
  const n = b.t.length
  const F = b.tags.length
  const anomaly = new Uint8Array(n)
  const sensorState = b.sensorState.slice()
  for (let w = 0; w < n; w++) {
    const on = b.score[w]! > threshold
    anomaly[w] = on ? 1 : 0
    for (let j = 0; j < F; j++) {
      const s = sensorState[w * F + j]!
      if (s !== SensorState.NORMAL && s !== SensorState.ANOMALOUS) continue
      sensorState[w * F + j] =
        on && b.contrib[w * F + j]! * F >= ANOMALOUS_SHARE ? SensorState.ANOMALOUS : SensorState.NORMAL
    }
  }
  return { ...b, threshold, anomaly, sensorState }
}
