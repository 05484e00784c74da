import type { AlarmStats, MaintenanceEvent } from '../../shared/alarms.ts'
import { VigilError } from '../../shared/errors.ts'
import type { Handlers } from '../engine/dispatch.ts'
import type { Store } from '../store/store.ts'
import type { AlarmRecord, AlarmSet } from './alarm-set.ts'
import type { Feedback } from './alarm-stats.ts'
import { auditCsv, workOrdersCsv } from './csv.ts'
import { stateOf } from './lifecycle.ts'
import type { MaintenanceTracker } from './maintenance.ts'

export type AlarmHandlers = Pick<
  Handlers,
  | 'alarms.list'
  | 'alarms.stats'
  | 'alarms.history'
  | 'alarms.ack'
  | 'alarms.shelve'
  | 'alarms.unshelve'
  | 'alarms.comment'
  | 'alarms.setService'
  | 'alarms.feedback'
  | 'maintenance.list'
  | 'maintenance.resolve'
  | 'maintenance.export'
  | 'audit.list'
  | 'audit.export'
>

interface Deps {
  set: AlarmSet
  maintenance: MaintenanceTracker
  store: Store
  now(): number
  /** Writes and publishes the changes just made (the guard then commits them before answering). */
  commit(events?: MaintenanceEvent[]): void
  stats(): AlarmStats
  feedback: Feedback
}

const END = Number.MAX_VALUE
const stamp = (t: number) => new Date(t).toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-')

/** The contract's alarm, maintenance and audit channels; the role check has run before any of these. */
export function alarmHandlers(d: Deps): AlarmHandlers {
  const { set } = d
  const find = (method: string, id: string): AlarmRecord => {
    const rec = set.byId.get(id)
    if (!rec) throw new VigilError('not-found', `${method}: no alarm "${id}"`)
    return rec
  }
  /** Applies an operator's lifecycle event, or says why it cannot be done. */
  const act = (method: string, id: string, e: Parameters<AlarmSet['apply']>[1]) => {
    const rec = find(method, id)
    const out = set.apply(rec, e, d.now())
    if (!out.ok) throw new VigilError('bad-request', `${method}: ${id}: ${out.reason}`)
    d.commit()
    return { alarm: set.view(rec) }
  }

  return {
    'alarms.list': (req) => ({ alarms: set.list(req), stats: d.stats() }),
    'alarms.stats': () => d.stats(),
    'alarms.history': ({ alarmId, assetId, from, to, limit }) => ({
      entries: d.store.records.journalRows({
        alarmId,
        assetId,
        from: from ?? 0,
        to: to ?? END,
        limit: limit ?? 500,
      }),
    }),
    'alarms.ack': ({ ids, note }, ctx) => {
      const at = d.now()
      const acked: string[] = []
      const skipped: { id: string; reason: string }[] = []
      for (const id of new Set(ids)) {
        const rec = set.byId.get(id)
        const out = rec ? set.apply(rec, { kind: 'ack', by: ctx.user, ...(note ? { note } : {}) }, at) : null
        if (out?.ok) acked.push(id)
        else skipped.push({ id, reason: out ? out.reason : 'no such alarm' })
      }
      d.commit()
      if (acked.length === 0)
        throw new VigilError(
          'bad-request',
          `alarms.ack: nothing acknowledged: ${skipped.map((s) => `${s.id}: ${s.reason}`).join('; ')}`,
        )
      return { at, acked, skipped }
    },
    'alarms.shelve': ({ id, reason, minutes }, ctx) =>
      act('alarms.shelve', id, { kind: 'shelve', by: ctx.user, reason, until: d.now() + minutes * 60_000 }),
    'alarms.unshelve': ({ id }, ctx) => act('alarms.unshelve', id, { kind: 'unshelve', by: ctx.user }),
    'alarms.setService': ({ id, inService, reason }, ctx) =>
      act('alarms.setService', id, { kind: 'service', inService, by: ctx.user, reason }),
    'alarms.comment': ({ id, text }, ctx) => {
      const rec = find('alarms.comment', id)
      const at = d.now()
      const s = stateOf(rec.life)
      set.note(rec, 'comment', ctx.user, s, s, at, text)
      d.commit()
      return { at }
    },
    'alarms.feedback': ({ id, verdict, note }, ctx) => {
      const rec = find('alarms.feedback', id)
      if (rec.def.kind !== 'model')
        throw new VigilError(
          'bad-request',
          `alarms.feedback: "${id}" is a ${rec.def.kind} alarm; verdicts are for model alarms`,
        )
      const at = d.now()
      const s = stateOf(rec.life)
      // The episode's peak score, which the adaptive threshold (threshold-proposal.ts) compares.
      set.note(rec, `feedback:${verdict}`, ctx.user, s, s, at, note, rec.peak ?? rec.value)
      if (verdict === 'true-positive') d.feedback.truePositive++
      else d.feedback.falsePositive++
      d.commit()
      return { at }
    },
    'maintenance.list': ({ assetId, status, from, to, limit }) => {
      const open = d.maintenance.openEvents()
      return {
        events: d.store.records.events({
          assetId,
          status,
          from: from ?? 0,
          to: to ?? END,
          limit: limit ?? 1000,
        }),
        totals: {
          open: open.length,
          openCost: open.reduce((s, e) => s + e.cost, 0),
          currency: d.maintenance.cfg.currency,
        },
      }
    },
    'maintenance.resolve': ({ id, notes }, ctx) => {
      const event = d.maintenance.resolve(id, ctx.user, notes, d.now())
      d.commit([event])
      return { event }
    },
    'maintenance.export': async ({ from, to, status }) => {
      await d.store.flush()
      const events = d.store.records.events({ status, from: from ?? 0, to: to ?? END, limit: 1_000_000 })
      return { filename: `vigil-work-orders-${stamp(d.now())}.csv`, csv: workOrdersCsv(events.reverse()) }
    },
    'audit.list': ({ from, to, actor, action, limit }) => ({
      entries: d.store.records.auditRows({
        actor,
        action,
        from: from ?? 0,
        to: to ?? END,
        limit: limit ?? 500,
      }),
    }),
    'audit.export': async ({ from, to }) => {
      await d.store.flush()
      const entries = d.store.records.auditRows({ from: from ?? 0, to: to ?? END, limit: 10_000_000 })
      return { filename: `vigil-audit-${stamp(d.now())}.csv`, csv: auditCsv(entries.reverse()) }
    },
  }
}
