import { z } from 'zod'

/*
 * Alarms as ISA-18.2 / IEC 62682 run them, maintenance events, roles and the audit trail:
 * the types main, preload and renderer share, and the optional plant-config blocks that tune
 * them (plant.ts takes these schemas into TagConfig, AssetConfig and PlantConfig).
 */

/** Four priorities, most urgent first; colour on screen follows them and nothing else. */
export const Priorities = ['critical', 'high', 'medium', 'low'] as const
export type Priority = (typeof Priorities)[number]

/**
 * The states of the ISA-18.2 alarm state diagram as an operator sees them. `unack` and
 * `rtn-unack` wait for an acknowledgement; the last three hide the alarm from the list.
 */
export const AlarmStates = [
  'normal',
  'unack',
  'acked',
  'rtn-unack',
  'shelved',
  'suppressed',
  'out-of-service',
] as const
export type AlarmState = (typeof AlarmStates)[number]

/**
 * Limit alarms (HH, H, L, LL) per tag; bad-data per tag; source per asset; model per asset and
 * model; pipeline per asset (a system alarm: the thread that validates and scores it died);
 * load-shed, two plant-wide system alarms on asset "system" (the engine is past its capacity
 * and sheds live updates, then model windows); per asset and predictor (alarms/prediction-alarms.ts):
 * rul (remaining life under the card's horizon), defect (a cast likely defective), constraint
 * (a setpoint suggestion that would leave little margin to a limit).
 */
export const AlarmKinds = [
  'HH',
  'H',
  'L',
  'LL',
  'bad-data',
  'source',
  'model',
  'pipeline',
  'load-shed',
  'rul',
  'defect',
  'constraint',
] as const
export type AlarmKind = (typeof AlarmKinds)[number]

export interface AlarmView {
  /** "P-101/Bearing_Temperature_C/HH", "P-101/model/pump-ae", "P-101/source". */
  id: string
  assetId: string
  tag?: string
  kind: AlarmKind
  priority: Priority
  state: AlarmState
  message: string
  /** When the condition last became active (the data's time); null while normal. */
  activeSince: number | null
  /** When the state last changed. */
  changedAt: number
  /** The value that tripped or cleared it, when the alarm watches a value. */
  value: number | null
  limit: number | null
  /** The first alarm of its asset to activate in the current upset. */
  firstOut: boolean
  /** Three or more activations within a minute. */
  chattering: boolean
  shelved: { by: string; reason: string; until: number } | null
  outOfService: { by: string; reason: string } | null
  lastAck: { by: string; at: number; note?: string } | null
}

export interface AlarmStats {
  /** Alarms in an active state (acknowledged or not). */
  standing: number
  /** Active for more than 24 hours. */
  stale: number
  unacked: number
  shelved: number
  suppressed: number
  outOfService: number
  chattering: number
  standingByPriority: Record<Priority, number>
  /**
   * Plant-wide: new alarms in the last 10 minutes over all positions; `active` while any
   * position floods (since: the earliest such position's start).
   */
  flood: { active: boolean; newIn10Min: number; since: number | null }
  /** Per operator position (plant config `position` per asset): a flood is > 10 new alarms in 10 minutes there. */
  positions: PositionStats[]
  /** Operator verdicts on model alarms. */
  feedback: { truePositive: number; falsePositive: number; falsePositiveRate: number | null }
}

export interface PositionStats {
  position: string
  assets: string[]
  flood: { active: boolean; newIn10Min: number; since: number | null }
  /** Alarms of this position's assets in an active state, and those waiting for an acknowledgement. */
  standing: number
  unacked: number
}

/** Every change and every operator action on an alarm, in order: the alarm's history. */
export interface AlarmJournalEntry {
  t: number
  alarmId: string
  action: string
  actor: string
  from: AlarmState | null
  to: AlarmState | null
  note?: string
}

export const Severities = ['CRITICAL', 'HIGH', 'MEDIUM'] as const
export type Severity = (typeof Severities)[number]

export interface MaintenanceEvent {
  id: number
  /** Work-order number shown to people: "WO-000042". */
  workOrder: string
  openedAt: number
  assetId: string
  tag: string
  /** Same cause, same open event: "P-101/Bearing_Temperature_C". */
  cause: string
  severity: Severity
  message: string
  value: number | null
  score: number | null
  cost: number
  currency: string
  status: 'open' | 'resolved'
  resolvedAt: number | null
  resolvedBy: string | null
  notes: string | null
}

export const Roles = ['operator', 'engineer', 'plant-head', 'management', 'admin'] as const
export type Role = (typeof Roles)[number]

export interface AuditEntry {
  id: number
  t: number
  actor: string
  role: string
  /** The contract method, or auth.* for sign-ins. */
  action: string
  target: string | null
  outcome: 'ok' | 'denied' | 'failed'
  detail: string | null
}

export interface UserView {
  name: string
  role: Role
  createdAt: number
  disabled: boolean
  /** Locked after too many wrong passwords in a row, until an admin unlocks it (users.update unlock). */
  locked: boolean
  lockedAt: number | null
  /** Wrong passwords since the last good sign-in. */
  failedSignIns: number
}

/* ---- plant configuration blocks ---- */

const Limit = z.object({ value: z.number(), priority: z.enum(Priorities).optional() }).strict()

/** Per tag; every field optional: defaults come from the tag's critical limits and span. */
export const TagAlarms = z
  .object({
    HH: Limit.optional(),
    H: Limit.optional(),
    L: Limit.optional(),
    LL: Limit.optional(),
    /** The value must come back this far inside the limit to clear (engineering units). */
    deadband: z.number().min(0).optional(),
    /** The condition must hold this long before the alarm activates, and be gone this long before it clears. */
    onDelayS: z.number().min(0).max(3600).optional(),
    offDelayS: z.number().min(0).max(3600).optional(),
    /** Bad or stale data on this tag raises a low-priority alarm unless false. */
    badData: z.boolean().optional(),
    /** No limit alarms at all for this tag. */
    disabled: z.boolean().optional(),
  })
  .strict()
export type TagAlarms = z.infer<typeof TagAlarms>

/** Per asset: design suppression (a stopped pump raises no process alarms) and the model alarm. */
export const AssetAlarms = z
  .object({
    suppressWhen: z
      .object({
        tag: z.string(),
        below: z.number().optional(),
        above: z.number().optional(),
        /** After the asset starts again, alarms stay suppressed this long (start-up transients). */
        releaseDelayS: z.number().min(0).max(3600).optional(),
      })
      .strict()
      .optional(),
    model: z
      .object({
        priority: z.enum(Priorities).optional(),
        onDelayS: z.number().min(0).max(3600).optional(),
        offDelayS: z.number().min(0).max(3600).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
export type AssetAlarms = z.infer<typeof AssetAlarms>

/** The plant's maintenance cost model; the defaults are the pump design's. */
export const MaintenanceConfig = z
  .object({
    currency: z.string().min(1).max(8).default('INR'),
    /** Base cost of a maintenance event per asset class; classes not named cost `defaultBase`. */
    base: z.record(z.string(), z.number().min(0)).default({}),
    defaultBase: z.number().min(0).default(45_000),
    factor: z
      .object({
        CRITICAL: z.number().min(0).default(1.5),
        HIGH: z.number().min(0).default(1),
        MEDIUM: z.number().min(0).default(1),
      })
      .strict()
      .prefault({}),
    /** Tags whose anomalies open events; default: every tag with critical limits. */
    criticalTags: z.array(z.string()).optional(),
    /** Consecutive windows a finding must persist before it opens an event. */
    persistWindows: z
      .object({
        CRITICAL: z.number().int().min(1).default(3),
        HIGH: z.number().int().min(1).default(10),
        MEDIUM: z.number().int().min(1).default(30),
      })
      .strict()
      .prefault({}),
  })
  .strict()
export type MaintenanceConfig = z.infer<typeof MaintenanceConfig>
