import type { MaintenanceEvent } from '../../shared/alarms.ts'
import { VigilError } from '../../shared/errors.ts'
import type { RulFigure } from '../../shared/kpi-channels.ts'
import type { PlantConfig } from '../../shared/plant.ts'
import type { PredictionBatch } from '../../shared/samples.ts'
import type { AlarmSet } from '../alarms/alarm-set.ts'
import { eventCost, type MaintenanceTracker } from '../alarms/maintenance.ts'
import type { Handlers } from '../engine/dispatch.ts'
import type { Store } from '../store/store.ts'
import { anomaliesPerDay, availability, avoided, DAY_MS, recommendations, riskOf } from './figures.ts'
import type { SensorHealthCounts } from './sensor-health.ts'

export type KpiHandlers = Pick<Handlers, 'kpi.engineer' | 'kpi.plantHead' | 'kpi.management'>

interface Deps {
  plant: PlantConfig
  store: Store
  set: AlarmSet
  maintenance: MaintenanceTracker
  health: SensorHealthCounts
  /** RUL models by id, with the unit of their output. */
  rulModels: Record<string, string>
  now(): number
}

const ALL = 1_000_000

/**
 * The figures of the engineer's, plant head's and management's views. Each period is the last
 * `days` days up to the later of the data clock (the newest time the alarms have seen) and
 * the wall clock, so a simulated-fast plant is judged on its own time.
 */
export function kpiHandlers(d: Deps): { handlers: KpiHandlers; predictions(p: PredictionBatch): void } {
  const latestRul = new Map<string, { modelId: string; value: number; spread?: number; at: number }>()
  const period = (days: number) => {
    // Operators resolve on the wall clock, the plant alarms on the data's: the later of the two.
    const to = Math.max(d.set.clock, d.now())
    return { from: to - days * DAY_MS, to }
  }
  // Events overlapping the period: opened before its end (a long-open event started earlier).
  const eventsUntil = (to: number): MaintenanceEvent[] => d.store.records.events({ from: 0, to, limit: ALL })
  const verdictsByAsset = (from: number, to: number) => {
    const by = new Map<string, { truePositive: number; falsePositive: number }>()
    for (const v of d.store.records.verdictRows({ from, to })) {
      const asset = v.alarmId.slice(0, v.alarmId.indexOf('/'))
      const c = by.get(asset) ?? { truePositive: 0, falsePositive: 0 }
      if (v.verdict === 'true-positive') c.truePositive++
      else c.falsePositive++
      by.set(asset, c)
    }
    return by
  }
  const rulOf = (assetId: string, models: string[]): RulFigure => {
    const rul = models.find((m) => m in d.rulModels)
    if (!rul) return { status: 'no RUL model' }
    const last = latestRul.get(assetId)
    if (!last) return { status: 'no prediction yet', modelId: rul, unit: d.rulModels[rul] }
    return { status: 'ok', ...last, unit: d.rulModels[last.modelId] }
  }

  const predictions = (p: PredictionBatch) => {
    const n = p.t.length
    if (p.kind !== 'rul' || n === 0) return
    latestRul.set(p.assetId, {
      modelId: p.modelId,
      value: p.value[n - 1]!,
      ...(p.spread ? { spread: p.spread[n - 1]! } : {}),
      at: p.t[n - 1]!,
    })
  }

  const handlers: KpiHandlers = {
    'kpi.engineer': ({ assetId, days }) => {
      const assets = d.plant.assets.filter((a) => assetId === undefined || a.id === assetId)
      if (assets.length === 0)
        throw new VigilError('not-found', `kpi.engineer: no asset "${assetId}" in the plant`)
      const { from, to } = period(days ?? 30)
      return {
        to,
        assets: assets.map((a) => ({ assetId: a.id, ...d.health.of(a.id)! })),
        timeline: d.store.records.events({ assetId, from, to: to + 1, limit: 1000 }),
      }
    },
    'kpi.plantHead': ({ days }) => {
      const { from, to } = period(days ?? 7)
      const events = eventsUntil(to + 1)
      const verdicts = [...verdictsByAsset(from, to + 1).values()].reduce(
        (s, v) => ({
          truePositive: s.truePositive + v.truePositive,
          falsePositive: s.falsePositive + v.falsePositive,
        }),
        { truePositive: 0, falsePositive: 0 },
      )
      const judged = verdicts.truePositive + verdicts.falsePositive
      return {
        from,
        to,
        assets: d.plant.assets.map((a) => ({
          assetId: a.id,
          ...availability(events, a.id, from, to),
          rul: rulOf(a.id, a.models),
        })),
        anomaliesPerDay: anomaliesPerDay(d.store.records.modelActivations(from, to + 1), from, to),
        falsePositiveRate: judged ? verdicts.falsePositive / judged : null,
        verdicts,
        recommendations: recommendations(d.maintenance.openEvents()),
      }
    },
    'kpi.management': ({ days }) => {
      const { from, to } = period(days ?? 30)
      const events = eventsUntil(to + 1)
      const open = d.maintenance.openEvents()
      const verdicts = verdictsByAsset(0, to + 1)
      const risk = d.plant.assets.map((a) =>
        riskOf(a.id, open, verdicts.get(a.id) ?? { truePositive: 0, falsePositive: 0 }),
      )
      const classOf = new Map(d.plant.assets.map((a) => [a.id, a.class as string]))
      const resolved = events.filter(
        (e) => e.status === 'resolved' && e.resolvedAt! >= from && e.resolvedAt! <= to,
      )
      return {
        from,
        to,
        currency: d.maintenance.cfg.currency,
        risk,
        totalRisk: risk.reduce((s, r) => s + r.risk, 0),
        avoided: avoided(events, from, to + 1, (id) =>
          eventCost(d.maintenance.cfg, classOf.get(id) ?? 'other', 'CRITICAL'),
        ),
        spend: {
          resolved: resolved.reduce((s, e) => s + e.cost, 0),
          resolvedEvents: resolved.length,
          open: open.reduce((s, e) => s + e.cost, 0),
          openEvents: open.length,
        },
      }
    },
  }
  return { handlers, predictions }
}
