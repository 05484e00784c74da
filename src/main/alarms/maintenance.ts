import { MaintenanceConfig, Severities, type MaintenanceEvent, type Severity } from '../../shared/alarms.ts'
import { VigilError } from '../../shared/errors.ts'
import type { AssetConfig, PlantConfig } from '../../shared/plant.ts'
import { SensorState, type SampleBatch, type ScoreBatch } from '../../shared/samples.ts'
import { workOrderOf } from '../store/record-query.ts'

/** Cost of one event: the asset class's base times the severity's factor (default 45,000 INR, x1.5 CRITICAL). */
export function eventCost(cfg: MaintenanceConfig, assetClass: string, severity: Severity): number {
  return Math.round((cfg.base[assetClass] ?? cfg.defaultBase) * cfg.factor[severity])
}

const rank = (s: Severity) => Severities.length - Severities.indexOf(s)

/** A maintenance finding from a predictor rather than a sensor (MaintenanceTracker.finding). */
export interface PredictionFinding {
  assetId: string
  /** One open event per cause: "<asset>/predict/<model>". */
  cause: string
  /** What the event is about where a sensor's events name their tag: the model id. */
  tag: string
  severity: Severity
  /** Data time of the finding. */
  t: number
  /** What was found and what to do, in words. */
  message: string
  value: number | null
  score: number | null
  refresh?: boolean
}

interface TagWatch {
  asset: AssetConfig
  tag: string
  label: string
  unit: string
  /** Asset column of the tag, for its latest value. */
  k: number
  critical: boolean
  /** Consecutive windows at CRITICAL, at HIGH or above, at MEDIUM or above. */
  runs: Int32Array
}

/**
 * Maintenance events, as the pump design makes them: a critical sensor (one with critical
 * limits, or named in the cost model) that the model finds anomalous while it is past its
 * limit opens a CRITICAL event; anomalous but inside its limits, HIGH; another sensor the
 * model blames, MEDIUM. Each must persist for a few windows first; one open event per cause
 * (asset and sensor), raised in severity if the finding worsens.
 */
export class MaintenanceTracker {
  readonly cfg: MaintenanceConfig
  private readonly watches = new Map<string, TagWatch[]>()
  private readonly assets = new Map<string, AssetConfig>()
  /** Each asset's latest validated batch: its buffers are never written again once published. */
  private readonly last = new Map<string, SampleBatch>()
  private readonly open = new Map<string, MaintenanceEvent>()
  private lastId: number

  constructor(plant: PlantConfig, open: MaintenanceEvent[], lastId: number) {
    this.cfg = MaintenanceConfig.parse(plant.maintenance ?? {})
    this.lastId = lastId
    for (const e of open) this.open.set(e.cause, e)
    for (const asset of plant.assets) {
      this.assets.set(asset.id, asset)
      const named = this.cfg.criticalTags
      this.watches.set(
        asset.id,
        asset.tags.map((t, k) => ({
          asset,
          tag: t.id,
          label: t.name ?? t.id,
          unit: t.unit,
          k,
          critical: named ? named.includes(t.id) : t.critical !== undefined,
          runs: new Int32Array(3),
        })),
      )
    }
  }

  /** Keeps the batch the next windows end in, for the value an event reports. */
  samples(b: SampleBatch): void {
    if (b.t.length) this.last.set(b.assetId, b)
  }

  /** Opens or raises events from a model's windows; returns the events it changed. */
  scores(s: ScoreBatch): MaintenanceEvent[] {
    const watches = this.watches.get(s.assetId)
    if (!watches) return []
    const changed: MaintenanceEvent[] = []
    const F = s.tags.length
    const P = this.cfg.persistWindows
    for (let j = 0; j < F; j++) {
      const w = watches.find((x) => x.tag === s.tags[j])
      if (!w) continue
      for (let i = 0; i < s.t.length; i++) {
        const state = s.sensorState[i * F + j]
        const anomalous = s.anomaly[i] === 1
        const level = !anomalous
          ? 0
          : w.critical && state === SensorState.CRITICAL
            ? 3
            : state === SensorState.ANOMALOUS || state === SensorState.CRITICAL
              ? w.critical
                ? 2
                : 1
              : 0
        for (let r = 0; r < 3; r++) w.runs[r] = level >= 3 - r ? w.runs[r]! + 1 : 0
        const sev: Severity | null =
          w.runs[0]! >= P.CRITICAL
            ? 'CRITICAL'
            : w.runs[1]! >= P.HIGH
              ? 'HIGH'
              : w.runs[2]! >= P.MEDIUM
                ? 'MEDIUM'
                : null
        if (!sev) continue
        const e = this.raise(w, sev, s.t[i]!, s.score[i]!, s.threshold)
        if (e && !changed.includes(e)) changed.push(e)
      }
    }
    return changed
  }

  resolve(id: number, by: string, notes: string, at: number): MaintenanceEvent {
    const e = [...this.open.values()].find((x) => x.id === id)
    if (!e)
      throw new VigilError(
        'not-found',
        `maintenance.resolve: no open maintenance event ${workOrderOf(id)} (id ${id})`,
      )
    this.open.delete(e.cause)
    // The finding must persist afresh before the same cause opens a new event.
    for (const w of this.watches.get(e.assetId) ?? []) if (w.tag === e.tag) w.runs.fill(0)
    return { ...e, status: 'resolved', resolvedAt: at, resolvedBy: by, notes }
  }

  /**
   * A finding that is not one sensor's (a short remaining life, likely defective casts, see
   * prediction-findings.ts): opens an event for `cause` or raises its severity. With `refresh`
   * an open event of the same severity takes the new message too (each flagged cast is named).
   * Returns the event it changed, or null.
   */
  finding(f: PredictionFinding): MaintenanceEvent | null {
    const asset = this.assets.get(f.assetId)
    if (!asset) return null
    const existing = this.open.get(f.cause)
    const worse = !existing || rank(f.severity) > rank(existing.severity)
    // An event never drops in severity while open: a person resolves it.
    if (!worse && !(f.refresh && existing!.message !== f.message)) return null
    const severity = worse ? f.severity : existing!.severity
    const cost = eventCost(this.cfg, asset.class, severity)
    const e: MaintenanceEvent = existing
      ? { ...existing, severity, message: f.message, value: f.value, score: f.score, cost }
      : {
          id: ++this.lastId,
          workOrder: workOrderOf(this.lastId),
          openedAt: f.t,
          assetId: f.assetId,
          tag: f.tag,
          cause: f.cause,
          severity,
          message: f.message,
          value: f.value,
          score: f.score,
          cost,
          currency: this.cfg.currency,
          status: 'open',
          resolvedAt: null,
          resolvedBy: null,
          notes: null,
        }
    this.open.set(f.cause, e)
    return e
  }

  openEvents(): MaintenanceEvent[] {
    return [...this.open.values()]
  }

  private raise(
    w: TagWatch,
    severity: Severity,
    t: number,
    score: number,
    threshold: number,
  ): MaintenanceEvent | null {
    const cause = `${w.asset.id}/${w.tag}`
    const existing = this.open.get(cause)
    if (existing && rank(existing.severity) >= rank(severity)) return null
    const value = this.valueAt(w, t)
    const crit = w.asset.tags[w.k]!.critical
    const limit = crit?.above ?? crit?.below
    const past =
      severity === 'CRITICAL' && limit !== undefined ? ` past its critical limit ${limit} ${w.unit}` : ''
    const message = `${w.label}${value === null ? '' : ` ${value.toFixed(1)} ${w.unit}`}${past}; ${w.asset.id} anomalous (score ${score.toPrecision(3)} over ${threshold.toPrecision(3)})`
    const cost = eventCost(this.cfg, w.asset.class, severity)
    const e: MaintenanceEvent = existing
      ? { ...existing, severity, message, value, score, cost }
      : {
          id: ++this.lastId,
          workOrder: workOrderOf(this.lastId),
          openedAt: t,
          assetId: w.asset.id,
          tag: w.tag,
          cause,
          severity,
          message,
          value,
          score,
          cost,
          currency: this.cfg.currency,
          status: 'open',
          resolvedAt: null,
          resolvedBy: null,
          notes: null,
        }
    this.open.set(cause, e)
    return e
  }

  /** The tag's value at the window's end (the sample at or before t), or null if not at hand. */
  private valueAt(w: TagWatch, t: number): number | null {
    const b = this.last.get(w.asset.id)
    if (!b) return null
    let lo = 0
    let hi = b.t.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (b.t[mid]! <= t) lo = mid + 1
      else hi = mid
    }
    const x = lo > 0 ? b.values[w.k]![lo - 1]! : NaN
    return x === x ? x : null
  }
}
