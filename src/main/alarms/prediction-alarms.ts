import type { MaintenanceEvent } from '../../shared/alarms.ts'
import type { AssetConfig, PlantConfig } from '../../shared/plant.ts'
import type { PredictionBatch } from '../../shared/samples.ts'
import type { AlarmRecord, AlarmSet } from './alarm-set.ts'
import { LimitCondition } from './debounce.ts'
import type { MaintenanceTracker } from './maintenance.ts'
import { defectFinding, rulFinding, type CastHistory } from './prediction-findings.ts'

interface Watch {
  rec: AlarmRecord
  c: LimitCondition
}

interface ModelWatch {
  rul?: Watch
  defect?: Watch & { casts: CastHistory }
  /** policy: one watch per constrained tag, with the tag's name for messages. */
  constraints: Map<string, Watch & { name: string }>
}

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3))

/**
 * Alarms and maintenance findings from predictors (prediction-alarm-defs.ts says which and
 * why): a remaining life under the card's horizon, a cast likely defective, a setpoint
 * suggestion leaving little margin to a limit. Each alarm is a limit condition with a deadband
 * and delays on the prediction's own value, in the data's time, so it runs through the same
 * ISA-18.2 lifecycle (ack, shelve, journal, flood) as a sensor's.
 */
export class PredictionAlarms {
  private readonly watches = new Map<string, ModelWatch>()
  private readonly set: AlarmSet
  private readonly maintenance: MaintenanceTracker

  constructor(plant: PlantConfig, set: AlarmSet, maintenance: MaintenanceTracker) {
    this.set = set
    this.maintenance = maintenance
    for (const asset of plant.assets) for (const rec of set.assetAlarms(asset.id)) this.watch(asset, rec)
  }

  /** Judges `rec` from the next prediction on, if it is a predictor's alarm (also for a model served later). */
  watch(asset: AssetConfig, rec: AlarmRecord): void {
    const d = rec.def
    if (d.kind !== 'rul' && d.kind !== 'defect' && d.kind !== 'constraint') return
    const key = `${asset.id}|${d.modelId}`
    const w: ModelWatch = this.watches.get(key) ?? { constraints: new Map() }
    const c = new LimitCondition(d.dir, d.limit!, d.deadband, d.onDelayMs, d.offDelayMs)
    c.filter.reset(rec.life.active)
    if (d.kind === 'rul') w.rul = { rec, c }
    else if (d.kind === 'defect') w.defect = { rec, c, casts: { recent: [], flagged: [] } }
    else w.constraints.set(d.tag!, { rec, c, name: asset.tags[d.tagIndex]!.name ?? d.tag! })
    this.watches.set(key, w)
  }

  /** Stops judging `modelId`'s alarms on the asset (the model was withdrawn). */
  unwatch(assetId: string, modelId: string): void {
    this.watches.delete(`${assetId}|${modelId}`)
  }

  /** Applies one batch's predictions; returns the maintenance events they opened or changed. */
  predictions(p: PredictionBatch): MaintenanceEvent[] {
    const w = this.watches.get(`${p.assetId}|${p.modelId}`)
    if (!w) return []
    const events: MaintenanceEvent[] = []
    const keep = (e: MaintenanceEvent | null) => {
      if (e && !events.includes(e)) events.push(e)
    }
    for (let i = 0; i < p.t.length; i++) {
      const t = p.t[i]!
      const v = p.value[i]!
      if (w.rul && v === v) {
        const { rec, c } = w.rul
        const spread = p.spread?.[i]
        const band = spread === undefined || spread !== spread ? '' : ` ± ${fmt(spread)}`
        const d = rec.def
        const msg = `${p.assetId} remaining life ${fmt(v)}${band} ${d.unit} (${p.modelId}), under the ${fmt(d.limit!)} ${d.unit} horizon`
        if (c.update(t, v)) this.set.apply(rec, { kind: 'condition', active: c.filter.state }, t, v, msg)
        if (c.filter.state) keep(this.maintenance.finding(rulFinding(p, i, d.limit!, d.unit)))
      }
      if (w.defect && v === v) {
        const { rec, c, casts } = w.defect
        const cast = p.unit?.[i] ?? NaN
        const flagged = v > rec.def.limit!
        casts.recent.push(flagged)
        if (casts.recent.length > 10) casts.recent.shift()
        const msg = `${p.assetId} cast ${cast}: P(defect) ${v.toFixed(2)} over ${rec.def.limit} (${p.modelId}, confidence ${(p.confidence?.[i] ?? NaN).toFixed(2)})`
        if (c.update(t, v)) this.set.apply(rec, { kind: 'condition', active: c.filter.state }, t, v, msg)
        if (flagged) {
          const cause = `${p.assetId}/predict/${p.modelId}`
          // The casts listed are those since the open event began: a resolved one starts afresh.
          if (!this.maintenance.openEvents().some((e) => e.cause === cause)) casts.flagged = []
          keep(this.maintenance.finding(defectFinding(p, i, rec.def.limit!, casts)))
        }
      }
      const advice = p.advice?.[i]
      if (w.constraints.size && advice) {
        for (const [tag, { rec, c, name }] of w.constraints) {
          // No suggestion puts nothing at risk: the optimizer asks no move of anyone.
          const m = advice.suggestion?.margins.find((x) => x.tag === tag)
          const margin = m ? m.margin : Infinity
          if (!c.update(t, margin)) continue
          const d = rec.def
          const msg = m
            ? `${p.assetId} suggestion (${p.modelId}) would leave ${name.toLowerCase()} ${fmt(m.value)} ${d.unit}, ${fmt(m.margin)} ${d.unit} inside its limit (${m.side} ${m.limit} ${d.unit}); under the ${fmt(d.limit!)} ${d.unit} margin wanted`
            : undefined
          this.set.apply(
            rec,
            { kind: 'condition', active: c.filter.state },
            t,
            m ? m.margin : null,
            c.filter.state ? msg : undefined,
          )
        }
      }
    }
    if (p.t.length) this.set.advance(p.t[p.t.length - 1]!)
    return events
  }
}
