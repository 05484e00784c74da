import type { AssetConfig, PlantConfig } from '../../shared/plant.ts'
import { Q, qualityLabel } from '../../shared/quality.ts'
import type { SampleBatch, ScoreBatch, SourceStatus } from '../../shared/samples.ts'
import { limitWords } from './alarm-defs.ts'
import type { AlarmRecord, AlarmSet } from './alarm-set.ts'
import { Debounce, LimitCondition } from './debounce.ts'

/** Quality that makes a value unfit to judge a limit by, and raises a bad-data alarm. */
const BAD = Q.MISSING | Q.OUT_OF_RANGE | Q.STUCK
const RELEASE_S = 30

interface Watch<C> {
  rec: AlarmRecord
  k: number
  c: C
}

interface AssetWatch {
  asset: AssetConfig
  limits: Watch<LimitCondition>[]
  bad: Watch<Debounce>[]
  models: Map<string, Watch<Debounce>>
  source: AlarmRecord | null
  pipeline: AlarmRecord | null
  /** Design suppression: the tag column, its bounds and a filter that releases after a delay. */
  suppress: { k: number; below: number; above: number; c: Debounce; targets: AlarmRecord[] } | null
}

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(1) : x.toPrecision(3))

/**
 * Turns the pipeline's results into alarm conditions: limit and bad-data alarms from every
 * validated sample, model alarms from every scored window, source alarms from status. Per
 * sample it compares numbers only; it allocates when an alarm changes, which the delays and
 * deadbands keep rare.
 */
export class AlarmDetectors {
  private readonly assets = new Map<string, AssetWatch>()
  private readonly set: AlarmSet

  constructor(plant: PlantConfig, set: AlarmSet) {
    this.set = set
    for (const asset of plant.assets) {
      const w: AssetWatch = {
        asset,
        limits: [],
        bad: [],
        models: new Map(),
        source: null,
        pipeline: null,
        suppress: null,
      }
      for (const rec of set.assetAlarms(asset.id)) {
        const d = rec.def
        const active = rec.life.active
        if (d.kind === 'bad-data')
          w.bad.push({ rec, k: d.tagIndex, c: new Debounce(d.onDelayMs, d.offDelayMs, active) })
        else if (d.kind === 'model')
          w.models.set(d.modelId!, { rec, k: -1, c: new Debounce(d.onDelayMs, d.offDelayMs, active) })
        else if (d.kind === 'source') w.source = rec
        else if (d.kind === 'pipeline') w.pipeline = rec
        // Predictor alarms judge predictions, not samples: prediction-alarms.ts watches them.
        else if (d.kind === 'rul' || d.kind === 'defect' || d.kind === 'constraint') continue
        else {
          const c = new LimitCondition(d.dir, d.limit!, d.deadband, d.onDelayMs, d.offDelayMs)
          c.filter.reset(active)
          w.limits.push({ rec, k: d.tagIndex, c })
        }
      }
      const s = asset.alarms?.suppressWhen
      if (s) {
        const targets = [...w.limits.map((l) => l.rec), ...[...w.models.values()].map((m) => m.rec)]
        const on = targets.some((r) => r.life.suppressed)
        w.suppress = {
          k: asset.tags.findIndex((t) => t.id === s.tag),
          below: s.below ?? -Infinity,
          above: s.above ?? Infinity,
          c: new Debounce(0, 1000 * (s.releaseDelayS ?? RELEASE_S), on),
          targets,
        }
      }
      this.assets.set(asset.id, w)
    }
  }

  /**
   * A window alarm of a model that joined the running engine: judged from its next scored
   * window, and suppressed with the asset's other alarms while the design condition holds.
   */
  watchModel(rec: AlarmRecord): void {
    const w = this.assets.get(rec.def.assetId)
    if (!w || rec.def.kind !== 'model') return
    w.models.set(rec.def.modelId!, {
      rec,
      k: -1,
      c: new Debounce(rec.def.onDelayMs, rec.def.offDelayMs, rec.life.active),
    })
    w.suppress?.targets.push(rec)
  }

  /** Stops judging a model's window alarm (its model proved a predictor: prediction-alarms.ts). */
  unwatchModel(assetId: string, modelId: string): void {
    const w = this.assets.get(assetId)
    const m = w?.models.get(modelId)
    if (!w || !m) return
    w.models.delete(modelId)
    const targets = w.suppress?.targets
    if (targets?.includes(m.rec)) targets.splice(targets.indexOf(m.rec), 1)
  }

  samples(b: SampleBatch & { quality: Uint8Array[] }): void {
    const w = this.assets.get(b.assetId)
    if (!w) return
    const { t, values, quality } = b
    const set = this.set
    for (let i = 0; i < t.length; i++) {
      const ti = t[i]!
      const s = w.suppress
      if (s && (quality[s.k]![i]! & BAD) === 0) {
        const x = values[s.k]![i]!
        if (s.c.update(ti, x < s.below || x > s.above))
          for (const rec of s.targets) set.apply(rec, { kind: 'suppress', on: s.c.state }, ti, null)
      }
      for (const l of w.limits) {
        const x = values[l.k]![i]!
        // A value that cannot be trusted neither raises nor clears a limit alarm; bad-data does.
        if (quality[l.k]![i]! & BAD || x !== x) continue
        if (!l.c.update(ti, x)) continue
        const d = l.rec.def
        const words = limitWords(d.kind as 'HH' | 'H' | 'L' | 'LL')
        const msg = `${d.assetId} ${d.label} ${words}: ${fmt(x)} ${d.unit} (limit ${fmt(d.limit!)} ${d.unit})`
        set.apply(
          l.rec,
          { kind: 'condition', active: l.c.filter.state },
          ti,
          x,
          l.c.filter.state ? msg : undefined,
        )
      }
      for (const bad of w.bad) {
        const q = quality[bad.k]![i]!
        if (!bad.c.update(ti, (q & BAD) !== 0)) continue
        const d = bad.rec.def
        const msg = `${d.assetId} ${d.label}: bad data (${qualityLabel(q)})`
        set.apply(
          bad.rec,
          { kind: 'condition', active: bad.c.state },
          ti,
          values[bad.k]![i]!,
          bad.c.state ? msg : undefined,
        )
      }
    }
    if (t.length) set.advance(t[t.length - 1]!)
  }

  scores(s: ScoreBatch): void {
    const m = this.assets.get(s.assetId)?.models.get(s.modelId)
    if (!m) return
    const F = s.tags.length
    const rec = m.rec
    for (let w = 0; w < s.t.length; w++) {
      const changed = m.c.update(s.t[w]!, s.anomaly[w] === 1)
      if (changed && m.c.state) rec.peak = s.score[w]!
      else if (rec.life.active && (rec.peak === null || s.score[w]! > rec.peak)) rec.peak = s.score[w]!
      if (!changed) continue
      let top = 0
      for (let j = 1; j < F; j++) if (s.contrib[w * F + j]! > s.contrib[w * F + top]!) top = j
      const msg = `${s.assetId} model ${s.modelId}: anomaly score ${fmt(s.score[w]!)} over ${fmt(s.threshold)}, mostly ${s.tags[top]}`
      this.set.apply(
        m.rec,
        { kind: 'condition', active: m.c.state },
        s.t[w]!,
        s.score[w]!,
        m.c.state ? msg : undefined,
      )
    }
  }

  /**
   * A failed or stale source is an alarm: the operator is blind to that asset. So is a failed
   * pipeline (status kind 'pipeline': its thread died mid-batch), a system alarm of its own.
   */
  status(st: SourceStatus): void {
    const w = this.assets.get(st.assetId)
    const pipeline = st.kind === 'pipeline'
    const rec = pipeline ? w?.pipeline : w?.source
    if (!rec) return
    const active =
      st.state === 'failed' || st.state === 'stale' ? true : st.state === 'running' ? false : null
    if (active === null) return
    const what = pipeline ? 'processing' : 'data source'
    const msg = `${st.assetId} ${what} ${st.state}${st.message ? `: ${st.message}` : ''}`
    this.set.apply(rec, { kind: 'condition', active }, st.at, null, active ? msg : undefined)
  }
}
