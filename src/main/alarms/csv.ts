import type { AuditEntry, MaintenanceEvent } from '../../shared/alarms.ts'

/**
 * RFC 4180 CSV: a field with a comma, quote or line break is quoted, quotes doubled. A field
 * starting with = + - @ is prefixed with ' so a spreadsheet shows it instead of running it
 * (CSV injection: notes and comments are typed by people).
 */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return ''
  let s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v)
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
}

export function toCsv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n'
}

const iso = (t: number | null) => (t === null ? '' : new Date(t).toISOString())

/** Work orders as a maintenance system imports them: one row per event. */
export function workOrdersCsv(events: MaintenanceEvent[]): string {
  return toCsv(
    [
      'work_order',
      'opened_at',
      'asset',
      'sensor',
      'severity',
      'description',
      'value',
      'anomaly_score',
      'estimated_cost',
      'currency',
      'status',
      'resolved_at',
      'resolved_by',
      'notes',
    ],
    events.map((e) => [
      e.workOrder,
      iso(e.openedAt),
      e.assetId,
      e.tag,
      e.severity,
      e.message,
      e.value,
      e.score,
      e.cost,
      e.currency,
      e.status,
      iso(e.resolvedAt),
      e.resolvedBy,
      e.notes,
    ]),
  )
}

export function auditCsv(entries: AuditEntry[]): string {
  return toCsv(
    ['id', 'time', 'actor', 'role', 'action', 'target', 'outcome', 'detail'],
    entries.map((a) => [a.id, iso(a.t), a.actor, a.role, a.action, a.target, a.outcome, a.detail]),
  )
}
