import type { PlantConfig } from '../../shared/plant.ts'
import { qualityLabel } from '../../shared/quality.ts'
import { SensorState, type SampleBatch, type ScoreBatch } from '../../shared/samples.ts'
import type { SensorHealth } from '../../shared/kpi-channels.ts'

const STATE_NAMES = ['NORMAL', 'ANOMALOUS', 'CRITICAL', 'BAD_DATA'] as const

interface AssetCounts {
  tags: string[]
  value: Float64Array
  quality: Uint8Array
  /** Latest window's state per tag, -1 before any window. */
  state: Int8Array
  anomalous: Float64Array
  critical: Float64Array
  windows: number
  anomalies: number
}

/**
 * Per-sensor health as the pump design keeps it: each sensor's latest value, quality and
 * state, and running counts (since the engine started) of the model windows in which the
 * sensor was ANOMALOUS or CRITICAL. Fed by every validated batch and scored window; O(tags)
 * per window, no allocation.
 */
export class SensorHealthCounts {
  private readonly assets = new Map<string, AssetCounts>()

  constructor(plant: PlantConfig) {
    for (const a of plant.assets) {
      const F = a.tags.length
      this.assets.set(a.id, {
        tags: a.tags.map((t) => t.id),
        value: new Float64Array(F).fill(NaN),
        quality: new Uint8Array(F),
        state: new Int8Array(F).fill(-1),
        anomalous: new Float64Array(F),
        critical: new Float64Array(F),
        windows: 0,
        anomalies: 0,
      })
    }
  }

  samples(b: SampleBatch & { quality: Uint8Array[] }): void {
    const a = this.assets.get(b.assetId)
    const last = b.t.length - 1
    if (!a || last < 0) return
    for (let k = 0; k < a.tags.length; k++) {
      a.value[k] = b.values[k]![last]!
      a.quality[k] = b.quality[k]![last]!
    }
  }

  scores(s: ScoreBatch): void {
    const a = this.assets.get(s.assetId)
    if (!a) return
    const F = s.tags.length
    // A model may read a subset of the asset's tags, in its own order.
    for (let j = 0; j < F; j++) {
      const k = a.tags.indexOf(s.tags[j]!)
      if (k < 0) continue
      for (let w = 0; w < s.t.length; w++) {
        const st = s.sensorState[w * F + j]!
        if (st === SensorState.ANOMALOUS) a.anomalous[k]!++
        else if (st === SensorState.CRITICAL) a.critical[k]!++
      }
      if (s.t.length) a.state[k] = s.sensorState[(s.t.length - 1) * F + j]!
    }
    a.windows += s.t.length
    for (let w = 0; w < s.t.length; w++) a.anomalies += s.anomaly[w]!
  }

  /** One asset's figures; null for an asset the plant does not configure. */
  of(assetId: string): { windows: number; anomalies: number; sensors: SensorHealth[] } | null {
    const a = this.assets.get(assetId)
    if (!a) return null
    return {
      windows: a.windows,
      anomalies: a.anomalies,
      sensors: a.tags.map((tag, k) => ({
        tag,
        value: Number.isNaN(a.value[k]!) ? null : a.value[k]!,
        quality: qualityLabel(a.quality[k]!),
        state: a.state[k]! < 0 ? 'NO_SCORE' : STATE_NAMES[a.state[k]!]!,
        anomalousWindows: a.anomalous[k]!,
        criticalWindows: a.critical[k]!,
      })),
    }
  }
}
