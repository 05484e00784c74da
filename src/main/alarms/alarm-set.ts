import { Priorities, type AlarmState, type AlarmView, type Priority } from '../../shared/alarms.ts'
import type { AlarmRow, JournalRow } from '../store/record-types.ts'
import { SYSTEM_ASSET, type AlarmDef } from './alarm-defs.ts'
import { FloodWatch } from './flood.ts'
import { DEFAULT_POSITION } from './positions.ts'
import { NORMAL, stateOf, step, type Life, type LifeEvent, type Outcome } from './lifecycle.ts'

/** One alarm at run time: its definition, lifecycle and what the list shows. */
export interface AlarmRecord {
  def: AlarmDef
  life: Life
  message: string
  activeSince: number | null
  changedAt: number
  value: number | null
  firstOut: boolean
  lastAck: { by: string; at: number; note?: string } | null
  /**
   * Model alarms: the highest score since the alarm last activated, kept until the next
   * activation, so a verdict given after the alarm cleared still records its episode's peak.
   */
  peak: number | null
  /** The last CHATTER_COUNT annunciation times, a ring. */
  recent: Float64Array
  recentPos: number
}

/** Three annunciations within a minute is chattering (EEMUA 191 / ISA-18.2 TR). */
const CHATTER_COUNT = 3
const CHATTER_MS = 60_000
const STALE_MS = 24 * 3600_000

const attention: Record<AlarmState, number> = {
  unack: 0,
  'rtn-unack': 1,
  acked: 2,
  shelved: 3,
  suppressed: 4,
  'out-of-service': 5,
  normal: 6,
}

/**
 * The plant's alarms and what happens to them: every lifecycle step goes through apply(),
 * which keeps first-out, flood and chattering figures and queues the changed rows and journal
 * entries until the engine drains them (to persist and to publish).
 */
export class AlarmSet {
  readonly byId = new Map<string, AlarmRecord>()
  /** The whole plant's annunciations: the sum over positions, for the plant-wide banner. */
  readonly flood = new FloodWatch()
  /** ISA-18.2 counts a flood per operator position: one watch per position (positions.ts). */
  readonly positions = new Map<string, { assets: string[]; flood: FloodWatch }>()
  private readonly positionOf = new Map<string, string>()
  /** Latest time seen on any alarm: the clock for chattering and staleness. */
  clock = -Infinity
  private readonly byAsset = new Map<string, AlarmRecord[]>()
  private dirty = new Set<AlarmRecord>()
  private journal: JournalRow[] = []

  /** `positions`: each asset's operator position; an asset not named is at DEFAULT_POSITION. */
  constructor(defs: AlarmDef[], saved: AlarmRow[] = [], positions: Map<string, string> = new Map()) {
    for (const [assetId, pos] of positions) this.place(assetId, pos)
    this.add(defs, saved)
  }

  /**
   * Alarms defined after the start (a model that joined the running engine), resumed from
   * `saved` as at start: a model served before a restart finds its alarms as they were left.
   * Returns the records added; an id already present is kept as it is.
   */
  add(defs: AlarmDef[], saved: AlarmRow[] = []): AlarmRecord[] {
    const rows = new Map(saved.map((r) => [r.id, r]))
    const added: AlarmRecord[] = []
    for (const def of defs) {
      if (this.byId.has(def.id)) continue
      // System alarms (the engine's load) concern the whole plant, not one operator position.
      if (!this.positionOf.has(def.assetId) && def.assetId !== SYSTEM_ASSET)
        this.place(def.assetId, DEFAULT_POSITION)
      const r = rows.get(def.id)
      const rec: AlarmRecord = {
        def,
        life: r
          ? {
              active: r.active,
              acked: r.acked,
              shelved: r.shelved,
              suppressed: r.suppressed,
              outOfService: r.outOfService,
            }
          : NORMAL,
        message: r?.message ?? `${def.assetId} ${def.label}`,
        activeSince: r?.activeSince ?? null,
        changedAt: r?.changedAt ?? 0,
        value: r?.value ?? null,
        firstOut: r?.firstOut ?? false,
        lastAck: r?.lastAck ?? null,
        peak: null,
        recent: new Float64Array(CHATTER_COUNT).fill(NaN),
        recentPos: 0,
      }
      this.byId.set(def.id, rec)
      const list = this.byAsset.get(def.assetId) ?? []
      list.push(rec)
      this.byAsset.set(def.assetId, list)
      added.push(rec)
    }
    return added
  }

  /** Forgets an alarm that no longer applies (a window alarm whose model proved a predictor). */
  remove(id: string): void {
    const rec = this.byId.get(id)
    if (!rec) return
    this.byId.delete(id)
    const list = this.byAsset.get(rec.def.assetId)!
    list.splice(list.indexOf(rec), 1)
    this.dirty.delete(rec)
  }

  assetAlarms(assetId: string): AlarmRecord[] {
    return this.byAsset.get(assetId) ?? []
  }

  /** Applies one lifecycle event at time t; operator events name who and may carry a note. */
  apply(rec: AlarmRecord, e: LifeEvent, t: number, value: number | null = null, message?: string): Outcome {
    const out = step(rec.life, e)
    if (!out.ok || out.action === null) return out
    if (t > this.clock) this.clock = t
    rec.life = out.life
    rec.changedAt = t
    if (message !== undefined) rec.message = message
    if (value !== null) rec.value = value
    if (out.action === 'activate') rec.activeSince = t
    if (out.action === 'clear') rec.activeSince = null
    if (out.action === 'ack')
      rec.lastAck = { by: out.by, at: t, ...(e.kind === 'ack' && e.note ? { note: e.note } : {}) }
    if (out.to === 'unack' && out.from !== 'unack') this.annunciated(rec, t)
    if (out.to === 'normal') rec.firstOut = false
    const note =
      e.kind === 'ack' ? e.note : e.kind === 'shelve' || e.kind === 'service' ? e.reason : undefined
    this.note(rec, out.action, out.by, out.from, out.to, t, note)
    return out
  }

  /** A journal entry that changes no state: a comment, an operator's verdict on a model alarm. */
  note(
    rec: AlarmRecord,
    action: string,
    actor: string,
    from: AlarmState | null,
    to: AlarmState | null,
    t: number,
    note?: string,
    value: number | null = rec.value,
  ): void {
    this.journal.push({
      t,
      alarmId: rec.def.id,
      action,
      actor,
      from,
      to,
      ...(note ? { note } : {}),
      value,
    })
    this.dirty.add(rec)
  }

  /** Returns shelved alarms whose time is up (wall clock: a shelf is an operator's promise in hours). */
  tick(now: number): void {
    for (const rec of this.byId.values()) if (rec.life.shelved) this.apply(rec, { kind: 'tick', now }, now)
  }

  /** The data's clock moved to t: every position's flood window slides with it. */
  advance(t: number): void {
    if (t > this.clock) this.clock = t
    this.flood.advance(this.clock)
    for (const [name, p] of this.positions)
      this.floodChange(name, p.flood, p.flood.advance(this.clock), this.clock)
  }

  /** What changed since the last drain, for the store and the live stream. */
  drain(): { alarms: AlarmRecord[]; journal: JournalRow[] } {
    const out = { alarms: [...this.dirty], journal: this.journal }
    this.dirty = new Set()
    this.journal = []
    return out
  }

  isChattering(rec: AlarmRecord): boolean {
    const newest = rec.recent[(rec.recentPos + CHATTER_COUNT - 1) % CHATTER_COUNT]!
    const oldest = rec.recent[rec.recentPos]!
    return newest - oldest <= CHATTER_MS && this.clock - newest <= 10 * CHATTER_MS
  }

  isStale(rec: AlarmRecord): boolean {
    return rec.life.active && rec.activeSince !== null && this.clock - rec.activeSince > STALE_MS
  }

  view(rec: AlarmRecord): AlarmView {
    const d = rec.def
    return {
      id: d.id,
      assetId: d.assetId,
      ...(d.tag ? { tag: d.tag } : {}),
      kind: d.kind,
      priority: d.priority,
      state: stateOf(rec.life),
      message: rec.message,
      activeSince: rec.activeSince,
      changedAt: rec.changedAt,
      value: rec.value,
      limit: d.limit,
      firstOut: rec.firstOut,
      chattering: this.isChattering(rec),
      shelved: rec.life.shelved,
      outOfService: rec.life.outOfService,
      lastAck: rec.lastAck,
    }
  }

  row(rec: AlarmRecord): AlarmRow {
    const v = this.view(rec)
    return {
      ...v,
      tag: v.tag ?? null,
      active: rec.life.active,
      acked: rec.life.acked,
      suppressed: rec.life.suppressed,
    }
  }

  /**
   * The alarm summary: by default the alarms in an alarm state (unack, acked, rtn-unack);
   * `states` picks others (the shelved list), `includeNormal` shows every alarm. Those needing
   * attention come first: unacknowledged, then by priority, newest first.
   */
  list(f: {
    assetId?: string
    priorities?: Priority[]
    states?: AlarmState[]
    includeNormal?: boolean
  }): AlarmView[] {
    const out: AlarmView[] = []
    for (const rec of this.byId.values()) {
      const s = stateOf(rec.life)
      if (f.assetId !== undefined && rec.def.assetId !== f.assetId) continue
      if (f.priorities && !f.priorities.includes(rec.def.priority)) continue
      if (f.states ? !f.states.includes(s) : attention[s] > 2 && !f.includeNormal) continue
      out.push(this.view(rec))
    }
    const pri = (p: Priority) => Priorities.indexOf(p)
    return out.sort(
      (a, b) =>
        attention[a.state] - attention[b.state] ||
        pri(a.priority) - pri(b.priority) ||
        b.changedAt - a.changedAt,
    )
  }

  private annunciated(rec: AlarmRecord, t: number): void {
    rec.recent[rec.recentPos] = t
    rec.recentPos = (rec.recentPos + 1) % CHATTER_COUNT
    // First-out: the alarm that opens an upset on its asset, while none of the others stands.
    rec.firstOut = !this.assetAlarms(rec.def.assetId).some((o) => o !== rec && standingOrUnacked(o))
    this.flood.add(t)
    const name = this.positionOf.get(rec.def.assetId)
    if (name === undefined) return
    const p = this.positions.get(name)!
    this.floodChange(name, p.flood, p.flood.add(t), t)
  }

  private place(assetId: string, position: string): void {
    this.positionOf.set(assetId, position)
    const p = this.positions.get(position) ?? { assets: [], flood: new FloodWatch() }
    p.assets.push(assetId)
    this.positions.set(position, p)
  }

  private floodChange(position: string, watch: FloodWatch, change: 'start' | 'end' | null, t: number): void {
    if (!change) return
    const n = watch.count
    this.journal.push({
      t,
      // '*' is the plant's journal line; a named position keeps its own, so each can be filtered.
      alarmId: this.positions.size > 1 ? `*/${position}` : '*',
      action: `flood-${change}`,
      actor: 'system',
      from: null,
      to: null,
      note: `${n} new alarms in the last 10 minutes at position ${position}`,
      value: n,
    })
  }
}

function standingOrUnacked(r: AlarmRecord): boolean {
  const s = stateOf(r.life)
  return s === 'unack' || s === 'acked' || s === 'rtn-unack'
}
