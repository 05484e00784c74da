import type { Database, Statement } from 'better-sqlite3'
import type { RecordOp } from './record-types.ts'

const bit = (b: boolean) => (b ? 1 : 0)

/**
 * Writes alarm, journal, maintenance, audit and user records inside the writer's transaction.
 * Alarms, events and users are upserts of the main thread's current copy; journal and audit
 * rows are appended (the file refuses to change them afterwards).
 */
export class RecordWriter {
  private readonly alarm: Statement
  private readonly journal: Statement
  private readonly maintenance: Statement
  private readonly audit: Statement
  private readonly user: Statement
  private readonly threshold: Statement

  constructor(db: Database) {
    this.alarm = db.prepare(
      `INSERT OR REPLACE INTO alarms (id, asset, tag, kind, priority, state, active, acked, suppressed,
         shelved_by, shelve_reason, shelved_until, oos_by, oos_reason, message, active_since, changed_at,
         value, first_out, ack_by, ack_at, ack_note)
       VALUES (@id, @asset, @tag, @kind, @priority, @state, @active, @acked, @suppressed, @shelvedBy,
         @shelveReason, @shelvedUntil, @oosBy, @oosReason, @message, @activeSince, @changedAt, @value,
         @firstOut, @ackBy, @ackAt, @ackNote)`,
    )
    this.journal = db.prepare(
      `INSERT INTO alarm_journal (t, alarm_id, asset, action, actor, from_state, to_state, note, value)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    this.maintenance = db.prepare(
      `INSERT OR REPLACE INTO maintenance_events (id, opened_at, asset, tag, cause, severity, message, value,
         score, cost, currency, status, resolved_at, resolved_by, notes)
       VALUES (@id, @openedAt, @assetId, @tag, @cause, @severity, @message, @value, @score, @cost, @currency,
         @status, @resolvedAt, @resolvedBy, @notes)`,
    )
    this.audit = db.prepare(
      'INSERT INTO audit_log (t, actor, role, action, target, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    this.user = db.prepare(
      `INSERT OR REPLACE INTO users (name, role, salt, hash, params, created_at, disabled, failed_sign_ins, locked_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    this.threshold = db.prepare(
      `INSERT OR REPLACE INTO model_thresholds (asset, model, threshold, card_threshold, accepted_by, accepted_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    )
  }

  apply(ops: RecordOp[]): void {
    for (const o of ops) {
      switch (o.op) {
        case 'alarm': {
          const r = o.row
          this.alarm.run({
            id: r.id,
            asset: r.assetId,
            tag: r.tag,
            kind: r.kind,
            priority: r.priority,
            state: r.state,
            active: bit(r.active),
            acked: bit(r.acked),
            suppressed: bit(r.suppressed),
            shelvedBy: r.shelved?.by ?? null,
            shelveReason: r.shelved?.reason ?? null,
            shelvedUntil: r.shelved?.until ?? null,
            oosBy: r.outOfService?.by ?? null,
            oosReason: r.outOfService?.reason ?? null,
            message: r.message,
            activeSince: r.activeSince,
            changedAt: r.changedAt,
            value: r.value,
            firstOut: bit(r.firstOut),
            ackBy: r.lastAck?.by ?? null,
            ackAt: r.lastAck?.at ?? null,
            ackNote: r.lastAck?.note ?? null,
          })
          break
        }
        case 'journal': {
          const j = o.row
          const asset = j.alarmId.includes('/') ? j.alarmId.slice(0, j.alarmId.indexOf('/')) : null
          this.journal.run(j.t, j.alarmId, asset, j.action, j.actor, j.from, j.to, j.note ?? null, j.value)
          break
        }
        case 'maintenance': {
          const { workOrder: _, ...m } = o.row
          this.maintenance.run(m)
          break
        }
        case 'audit': {
          const a = o.row
          this.audit.run(a.t, a.actor, a.role, a.action, a.target, a.outcome, a.detail)
          break
        }
        case 'user': {
          const u = o.row
          this.user.run(
            u.name,
            u.role,
            u.salt,
            u.hash,
            u.params,
            u.createdAt,
            bit(u.disabled),
            u.failedSignIns,
            u.lockedAt,
          )
          break
        }
        case 'threshold': {
          const r = o.row
          this.threshold.run(r.assetId, r.modelId, r.threshold, r.cardThreshold, r.acceptedBy, r.acceptedAt)
          break
        }
      }
    }
  }
}
