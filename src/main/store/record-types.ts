import type { AlarmJournalEntry, AuditEntry, MaintenanceEvent, Role } from '../../shared/alarms.ts'

/*
 * Records beside the samples: alarm state and journal, maintenance events, the audit trail and
 * user accounts (schema.ts migration 3). The main thread keeps the live copy of alarms, open
 * events and users and sends every change to the writer as a RecordOp; the file is what a
 * restart loads back.
 */

/** An alarm's lifecycle and what the list shows about it, as one row. */
export interface AlarmRow {
  id: string
  assetId: string
  tag: string | null
  kind: string
  priority: string
  state: string
  active: boolean
  acked: boolean
  suppressed: boolean
  shelved: { by: string; reason: string; until: number } | null
  outOfService: { by: string; reason: string } | null
  message: string
  activeSince: number | null
  changedAt: number
  value: number | null
  firstOut: boolean
  lastAck: { by: string; at: number; note?: string } | null
}

export type JournalRow = AlarmJournalEntry & { value: number | null }

export interface UserRow {
  name: string
  role: Role
  /** scrypt: salt and derived key, base64; params as N, r, p, keylen. */
  salt: string
  hash: string
  params: string
  createdAt: number
  disabled: boolean
  /** Wrong passwords since the last good sign-in (migration 6). */
  failedSignIns: number
  /** When too many wrong passwords locked the account; null while it is not locked. */
  lockedAt: number | null
}

/** A model threshold accepted for one asset, in place of the card's (migration 6). */
export interface ThresholdRow {
  assetId: string
  modelId: string
  threshold: number
  cardThreshold: number
  acceptedBy: string
  acceptedAt: number
}

export type RecordOp =
  | { op: 'alarm'; row: AlarmRow }
  | { op: 'journal'; row: JournalRow }
  | { op: 'maintenance'; row: MaintenanceEvent }
  | { op: 'audit'; row: Omit<AuditEntry, 'id'> }
  | { op: 'user'; row: UserRow }
  | { op: 'threshold'; row: ThresholdRow }

export interface JournalRequest {
  alarmId?: string
  assetId?: string
  from: number
  to: number
  limit: number
}

export interface MaintenanceRequest {
  assetId?: string
  status?: 'open' | 'resolved'
  from: number
  to: number
  limit: number
}

export interface AuditRequest {
  actor?: string
  action?: string
  from: number
  to: number
  limit: number
}
