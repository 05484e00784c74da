import type { LiveSnapshot } from '../../shared/contract.ts'
import type { AssetConfig } from '../../shared/plant.ts'
import type {
  ActiveFault,
  LiveMessage,
  PredictionBatch,
  SampleBatch,
  ScoreBatch,
  SourceStatus,
} from '../../shared/samples.ts'
import { ColumnRing } from './column-ring.ts'
import { latestPrediction } from './latest-prediction.ts'
import { LiveMerge } from './live-merge.ts'

interface AssetLive {
  asset: AssetConfig
  samples: ColumnRing
  scores: ColumnRing | null
  /** Rows its rings hold: a scores ring made later (a model fitted while running) gets as many. */
  rows: number
  lastScores: ScoreBatch | null
  /** Each predictor's latest prediction (one row), by model id: for snapshots. */
  lastPredictions: Map<string, PredictionBatch>
  faults: ActiveFault[]
  status: SourceStatus | null
  windows: number
  anomalies: number
}

/** Samples kept in memory per asset for snapshots: an hour at the source's rate, capped. */
const MAX_ROWS = 360_000
/**
 * All assets' rings together stay within this: a hundred pumps at 10 Hz would otherwise hold
 * ~740 MB for their hour. Past it each asset keeps an equal share (at 100 pumps x 10 Hz, 2.7
 * minutes rather than the hour); older data comes from the store.
 */
const LIVE_BUDGET_BYTES = 32 * 2 ** 20
const MIN_ROWS = 1000

/**
 * The hub fans every live message out to its subscribers (the IPC adapter, each WebSocket
 * client, tests) and keeps the recent past of each asset so a client that connects or
 * reconnects can fill its charts at once (live.snapshot) without touching the store.
 */
export class Hub {
  private readonly listeners = new Set<(m: LiveMessage) => void>()
  private readonly live = new Map<string, AssetLive>()
  /** While the engine sheds load: samples and scores held and sent once per interval. */
  private merge: LiveMerge | null = null
  private mergeTimer: ReturnType<typeof setInterval> | null = null
  private mergedBefore = 0

  constructor(assets: AssetConfig[]) {
    for (const asset of assets) {
      const rate = asset.source.kind === 'simulator' ? asset.source.rateHz : 10
      const F = asset.tags.length
      // Samples: time, values, quality; scores: time, score, anomaly, contributions, sensor states.
      const rowBytes = 8 + 9 * F + (asset.models.length ? 17 + 9 * F : 0)
      const share = Math.floor(LIVE_BUDGET_BYTES / assets.length / rowBytes)
      const rows = Math.max(MIN_ROWS, Math.min(MAX_ROWS, Math.ceil(3600 * rate), share))
      this.live.set(asset.id, {
        asset,
        samples: new ColumnRing(rows, [
          { kind: 'f64', width: 1 },
          ...asset.tags.map(() => ({ kind: 'f64' as const, width: 1 })),
          ...asset.tags.map(() => ({ kind: 'u8' as const, width: 1 })),
        ]),
        scores: asset.models.length ? scoreRing(rows, F) : null,
        rows,
        lastScores: null,
        lastPredictions: new Map(),
        faults: [],
        status: null,
        windows: 0,
        anomalies: 0,
      })
    }
  }

  get subscribers(): number {
    return this.listeners.size
  }

  subscribe(fn: (m: LiveMessage) => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  private emit(m: LiveMessage): void {
    for (const fn of this.listeners) {
      try {
        fn(m)
      } catch {
        // One broken client must not stop the others; transports handle their own errors.
      }
    }
  }

  /**
   * 0: every processed batch goes out at once (the default). ms > 0: each asset's samples and
   * scores go out merged, once per ms: coarser UI updates, the first thing shed under overload.
   */
  setLiveInterval(ms: number): void {
    if (this.mergeTimer) clearInterval(this.mergeTimer)
    this.mergeTimer = null
    if (this.merge) {
      this.merge.flush((m) => this.emit(m))
      this.mergedBefore += this.merge.merged
      this.merge = null
    }
    if (ms <= 0) return
    const merge = new LiveMerge()
    this.merge = merge
    this.mergeTimer = setInterval(() => merge.flush((m) => this.emit(m)), ms)
    this.mergeTimer.unref()
  }

  /** Live messages folded into others while updates were coarse. */
  get merged(): number {
    return this.mergedBefore + (this.merge?.merged ?? 0)
  }

  samples(
    batch: SampleBatch & { quality: Uint8Array[] },
    rolling?: { mean: Float64Array; std: Float64Array },
  ): void {
    const a = this.live.get(batch.assetId)
    if (a) a.samples.append([batch.t, ...batch.values, ...batch.quality], batch.t.length)
    const m: LiveMessage = rolling ? { topic: 'samples', batch, rolling } : { topic: 'samples', batch }
    if (this.merge) this.merge.add(m)
    else this.emit(m)
  }

  scores(batch: ScoreBatch): void {
    const a = this.live.get(batch.assetId)
    // An asset that started without models and was given one while running (models.fit).
    if (a && !a.scores) a.scores = scoreRing(a.rows, a.asset.tags.length)
    if (a?.scores && batch.tags.length === a.asset.tags.length) {
      a.scores.append([batch.t, batch.score, batch.anomaly, batch.contrib, batch.sensorState], batch.t.length)
    }
    if (a) {
      a.lastScores = batch
      a.windows += batch.t.length
      for (let i = 0; i < batch.anomaly.length; i++) a.anomalies += batch.anomaly[i]!
    }
    if (this.merge) this.merge.add({ topic: 'scores', batch })
    else this.emit({ topic: 'scores', batch })
  }

  /**
   * A predictor's outputs (RUL, defect probability, setpoint advice): a few a minute per
   * asset, so never merged or dropped under load; the history keeps them for the trend views,
   * the hub the latest of each model for snapshots.
   */
  predictions(batch: PredictionBatch): void {
    if (batch.t.length)
      this.live.get(batch.assetId)?.lastPredictions.set(batch.modelId, latestPrediction(batch))
    this.emit({ topic: 'predictions', batch })
  }

  status(status: SourceStatus): void {
    const a = this.live.get(status.assetId)
    // Only the source's own status is the asset's status; a pipeline failure is streamed beside it.
    if (a && status.kind === a.asset.source.kind) a.status = status
    this.emit({ topic: 'status', status })
  }

  faults(assetId: string, active: ActiveFault[]): void {
    const a = this.live.get(assetId)
    if (a) a.faults = active
    this.emit({ topic: 'faults', assetId, active })
  }

  /** Alarm and maintenance changes (src/main/alarms): plant-wide, never dropped for a slow client. */
  alarms(m: Extract<LiveMessage, { topic: 'alarms' }>): void {
    this.emit(m)
  }

  /** The served models changed (engine/hot-models.ts): plant-wide and rare, so never merged or dropped. */
  models(m: Extract<LiveMessage, { topic: 'models' }>): void {
    this.emit(m)
  }

  statuses(): SourceStatus[] {
    return [...this.live.values()].flatMap((a) => (a.status ? [a.status] : []))
  }

  snapshot(assetId: string, seconds: number): LiveSnapshot | null {
    const a = this.live.get(assetId)
    if (!a) return null
    const F = a.asset.tags.length
    const latest = a.samples.lastTime()
    const since = latest === latest ? latest - seconds * 1000 : -Infinity
    const s = a.samples.since(since)
    let scores: ScoreBatch | null = null
    if (a.scores && a.lastScores) {
      const [t, score, anomaly, contrib, sensorState] = a.scores.since(since)
      scores = {
        ...a.lastScores,
        t: t as Float64Array,
        score: score as Float64Array,
        anomaly: anomaly as Uint8Array,
        contrib: contrib as Float64Array,
        sensorState: sensorState as Uint8Array,
      }
    }
    return {
      samples: {
        assetId,
        t: s[0] as Float64Array,
        values: s.slice(1, 1 + F) as Float64Array[],
        quality: s.slice(1 + F) as Uint8Array[],
      },
      scores,
      faults: a.faults,
      status: a.status,
      counts: { windows: a.windows, anomalies: a.anomalies },
      predictions: [...a.lastPredictions.values()],
    }
  }
}

/** Score windows of an asset with F tags: time, score, anomaly, contributions, sensor states. */
function scoreRing(rows: number, F: number): ColumnRing {
  return new ColumnRing(rows, [
    { kind: 'f64', width: 1 },
    { kind: 'f64', width: 1 },
    { kind: 'u8', width: 1 },
    { kind: 'f64', width: F },
    { kind: 'u8', width: F },
  ])
}
