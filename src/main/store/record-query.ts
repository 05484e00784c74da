import type { Database, Statement } from 'better-sqlite3'
import type { AuditEntry, MaintenanceEvent, Role, Severity } from '../../shared/alarms.ts'
import type {
  AlarmRow,
  AuditRequest,
  JournalRequest,
  JournalRow,
  MaintenanceRequest,
  ThresholdRow,
  UserRow,
} from './record-types.ts'

type Row = Record<string, unknown>
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v))
const str = (v: unknown) => (v === null || v === undefined ? null : String(v))

export interface VerdictRow {
  t: number
  alarmId: string
  verdict: 'true-positive' | 'false-positive'
  score: number | null
}

export const workOrderOf = (id: number) => `WO-${String(id).padStart(6, '0')}`

/** Reads the records of migration 3 on the store's read-only connection. Ranges are [from, to). */
export class RecordReader {
  private readonly alarms: Statement
  private readonly journal: Statement
  private readonly maintenance: Statement
  private readonly openEvents: Statement
  private readonly maxEvent: Statement
  private readonly audit: Statement
  private readonly users: Statement
  private readonly feedback: Statement
  private readonly verdicts: Statement
  private readonly thresholds: Statement
  private readonly activations: Statement

  constructor(db: Database) {
    this.alarms = db.prepare('SELECT * FROM alarms ORDER BY id')
    this.journal = db.prepare(
      `SELECT t, alarm_id, action, actor, from_state, to_state, note, value FROM alarm_journal
       WHERE t >= @from AND t < @to AND (@alarm IS NULL OR alarm_id = @alarm) AND (@asset IS NULL OR asset = @asset)
       ORDER BY t DESC, id DESC LIMIT @limit`,
    )
    this.maintenance = db.prepare(
      `SELECT * FROM maintenance_events
       WHERE opened_at >= @from AND opened_at < @to AND (@asset IS NULL OR asset = @asset)
         AND (@status IS NULL OR status = @status)
       ORDER BY opened_at DESC, id DESC LIMIT @limit`,
    )
    this.openEvents = db.prepare("SELECT * FROM maintenance_events WHERE status = 'open' ORDER BY id")
    this.maxEvent = db.prepare('SELECT coalesce(max(id), 0) FROM maintenance_events').pluck()
    this.audit = db.prepare(
      `SELECT * FROM audit_log
       WHERE t >= @from AND t < @to AND (@actor IS NULL OR actor = @actor) AND (@action IS NULL OR action = @action)
       ORDER BY t DESC, id DESC LIMIT @limit`,
    )
    this.users = db.prepare('SELECT * FROM users ORDER BY name')
    this.feedback = db
      .prepare("SELECT action, count(*) FROM alarm_journal WHERE action LIKE 'feedback:%' GROUP BY action")
      .raw()
    this.verdicts = db.prepare(
      `SELECT t, alarm_id, action, value FROM alarm_journal
       WHERE action LIKE 'feedback:%' AND t >= @from AND t < @to AND (@alarm IS NULL OR alarm_id = @alarm)
       ORDER BY t, id`,
    )
    this.thresholds = db.prepare('SELECT * FROM model_thresholds ORDER BY asset, model')
    this.activations = db
      .prepare(
        `SELECT t, alarm_id FROM alarm_journal
         WHERE action = 'activate' AND alarm_id LIKE '%/model/%' AND t >= @from AND t < @to ORDER BY t`,
      )
      .raw()
  }

  loadAlarms(): AlarmRow[] {
    return (this.alarms.all() as Row[]).map((r) => ({
      id: String(r.id),
      assetId: String(r.asset),
      tag: str(r.tag),
      kind: String(r.kind),
      priority: String(r.priority),
      state: String(r.state),
      active: r.active === 1,
      acked: r.acked === 1,
      suppressed: r.suppressed === 1,
      shelved:
        r.shelved_by === null
          ? null
          : { by: String(r.shelved_by), reason: String(r.shelve_reason), until: Number(r.shelved_until) },
      outOfService: r.oos_by === null ? null : { by: String(r.oos_by), reason: String(r.oos_reason) },
      message: String(r.message),
      activeSince: num(r.active_since),
      changedAt: Number(r.changed_at),
      value: num(r.value),
      firstOut: r.first_out === 1,
      lastAck:
        r.ack_by === null
          ? null
          : {
              by: String(r.ack_by),
              at: Number(r.ack_at),
              ...(r.ack_note === null ? {} : { note: String(r.ack_note) }),
            },
    }))
  }

  journalRows(req: JournalRequest): JournalRow[] {
    const p = {
      from: req.from,
      to: req.to,
      alarm: req.alarmId ?? null,
      asset: req.assetId ?? null,
      limit: req.limit,
    }
    return (this.journal.all(p) as Row[]).map((r) => ({
      t: Number(r.t),
      alarmId: String(r.alarm_id),
      action: String(r.action),
      actor: String(r.actor),
      from: str(r.from_state) as JournalRow['from'],
      to: str(r.to_state) as JournalRow['to'],
      ...(r.note === null ? {} : { note: String(r.note) }),
      value: num(r.value),
    }))
  }

  events(req: MaintenanceRequest): MaintenanceEvent[] {
    const p = {
      from: req.from,
      to: req.to,
      asset: req.assetId ?? null,
      status: req.status ?? null,
      limit: req.limit,
    }
    return (this.maintenance.all(p) as Row[]).map(eventOf)
  }

  openEventRows(): MaintenanceEvent[] {
    return (this.openEvents.all() as Row[]).map(eventOf)
  }

  lastEventId(): number {
    return this.maxEvent.get() as number
  }

  auditRows(req: AuditRequest): AuditEntry[] {
    const p = {
      from: req.from,
      to: req.to,
      actor: req.actor ?? null,
      action: req.action ?? null,
      limit: req.limit,
    }
    return (this.audit.all(p) as Row[]).map((r) => ({
      id: Number(r.id),
      t: Number(r.t),
      actor: String(r.actor),
      role: String(r.role),
      action: String(r.action),
      target: str(r.target),
      outcome: String(r.outcome) as AuditEntry['outcome'],
      detail: str(r.detail),
    }))
  }

  userRows(): UserRow[] {
    return (this.users.all() as Row[]).map((r) => ({
      name: String(r.name),
      role: String(r.role) as Role,
      salt: String(r.salt),
      hash: String(r.hash),
      params: String(r.params),
      createdAt: Number(r.created_at),
      disabled: r.disabled === 1,
      failedSignIns: Number(r.failed_sign_ins ?? 0),
      lockedAt: num(r.locked_at),
    }))
  }

  /**
   * Operator verdicts on model alarms in [from, to), oldest first; `value` is the score the
   * journal kept with the verdict (the episode's highest, alarms/detectors.ts).
   */
  verdictRows(req: { alarmId?: string; from: number; to: number }): VerdictRow[] {
    const p = { from: req.from, to: req.to, alarm: req.alarmId ?? null }
    return (this.verdicts.all(p) as Row[]).map((r) => ({
      t: Number(r.t),
      alarmId: String(r.alarm_id),
      verdict: String(r.action).slice('feedback:'.length) as VerdictRow['verdict'],
      score: num(r.value),
    }))
  }

  /** When model anomaly alarms activated in [from, to), oldest first. */
  modelActivations(from: number, to: number): { t: number; alarmId: string }[] {
    return (this.activations.all({ from, to }) as [number, string][]).map(([t, alarmId]) => ({ t, alarmId }))
  }

  thresholdRows(): ThresholdRow[] {
    return (this.thresholds.all() as Row[]).map((r) => ({
      assetId: String(r.asset),
      modelId: String(r.model),
      threshold: Number(r.threshold),
      cardThreshold: Number(r.card_threshold),
      acceptedBy: String(r.accepted_by),
      acceptedAt: Number(r.accepted_at),
    }))
  }

  /** Operator verdicts on model alarms so far: { 'true-positive': n, 'false-positive': m }. */
  feedbackCounts(): Record<string, number> {
    const out: Record<string, number> = {}
    for (const [action, n] of this.feedback.all() as [string, number][])
      out[action.slice('feedback:'.length)] = n
    return out
  }
}

function eventOf(r: Row): MaintenanceEvent {
  const id = Number(r.id)
  return {
    id,
    workOrder: workOrderOf(id),
    openedAt: Number(r.opened_at),
    assetId: String(r.asset),
    tag: String(r.tag),
    cause: String(r.cause),
    severity: String(r.severity) as Severity,
    message: String(r.message),
    value: num(r.value),
    score: num(r.score),
    cost: Number(r.cost),
    currency: String(r.currency),
    status: String(r.status) as MaintenanceEvent['status'],
    resolvedAt: num(r.resolved_at),
    resolvedBy: str(r.resolved_by),
    notes: str(r.notes),
  }
}
