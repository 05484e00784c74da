import { z } from 'zod'
import {
  AlarmStates,
  Priorities,
  Roles,
  type AlarmJournalEntry,
  type AlarmStats,
  type AlarmView,
  type AuditEntry,
  type MaintenanceEvent,
  type Role,
  type UserView,
} from './alarms.ts'

/*
 * The contract's channels for alarms, maintenance events, the audit trail, sign-in and users
 * (contract.ts spreads them in). Every one is checked against the caller's role in main
 * (src/main/alarms/access.ts) before its handler runs.
 */

const res = <T>() => z.custom<T>(() => true)
const AlarmId = z.string().min(1).max(300)
const Time = z.number().finite()
const Limit = z.number().int().min(1).max(10_000)
const Note = z.string().trim().max(500)
const Reason = z.string().trim().min(3, 'say why, in a few words').max(500)
const UserName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9._-]{1,39}$/, 'must start with a letter: 2-40 letters, digits, . _ -')
const Password = z.string().min(8, 'must be at least 8 characters').max(200)
const Csv = res<{ filename: string; csv: string }>()
const empty = z.object({}).strict()

export interface Principal {
  user: string | null
  /** 'local' while no account exists yet: a single-user workstation runs open. */
  role: Role | 'local' | 'anonymous'
  /** True while the file holds no user accounts (every caller may do everything). */
  open: boolean
  permissions: string[]
}

export const alarmChannels = {
  'alarms.list': {
    req: z
      .object({
        assetId: z.string().max(100).optional(),
        priorities: z.array(z.enum(Priorities)).optional(),
        states: z.array(z.enum(AlarmStates)).optional(),
        /** Default: alarms in an alarm state (unack, acked, rtn-unack); `states` picks others; this shows all. */
        includeNormal: z.boolean().optional(),
      })
      .strict(),
    res: res<{ alarms: AlarmView[]; stats: AlarmStats }>(),
  },
  'alarms.stats': { req: empty, res: res<AlarmStats>() },
  'alarms.history': {
    req: z
      .object({
        alarmId: AlarmId.optional(),
        assetId: z.string().max(100).optional(),
        from: Time.optional(),
        to: Time.optional(),
        limit: Limit.optional(),
      })
      .strict(),
    res: res<{ entries: AlarmJournalEntry[] }>(),
  },
  'alarms.ack': {
    req: z.object({ ids: z.array(AlarmId).min(1).max(500), note: Note.optional() }).strict(),
    res: res<{ at: number; acked: string[]; skipped: { id: string; reason: string }[] }>(),
  },
  'alarms.shelve': {
    req: z
      .object({
        id: AlarmId,
        reason: Reason,
        /** Shelving always ends by itself: at most three days. */
        minutes: z
          .number()
          .int()
          .min(1)
          .max(72 * 60),
      })
      .strict(),
    res: res<{ alarm: AlarmView }>(),
  },
  'alarms.unshelve': {
    req: z.object({ id: AlarmId, note: Note.optional() }).strict(),
    res: res<{ alarm: AlarmView }>(),
  },
  'alarms.comment': {
    req: z.object({ id: AlarmId, text: z.string().trim().min(1).max(2000) }).strict(),
    res: res<{ at: number }>(),
  },
  'alarms.setService': {
    req: z.object({ id: AlarmId, inService: z.boolean(), reason: Reason }).strict(),
    res: res<{ alarm: AlarmView }>(),
  },
  /** An operator's verdict on a model alarm: it feeds the false-positive rate. */
  'alarms.feedback': {
    req: z
      .object({ id: AlarmId, verdict: z.enum(['true-positive', 'false-positive']), note: Note.optional() })
      .strict(),
    res: res<{ at: number }>(),
  },
  'maintenance.list': {
    req: z
      .object({
        assetId: z.string().max(100).optional(),
        status: z.enum(['open', 'resolved']).optional(),
        from: Time.optional(),
        to: Time.optional(),
        limit: Limit.optional(),
      })
      .strict(),
    res: res<{ events: MaintenanceEvent[]; totals: { open: number; openCost: number; currency: string } }>(),
  },
  'maintenance.resolve': {
    req: z.object({ id: z.number().int().positive(), notes: z.string().trim().min(1).max(2000) }).strict(),
    res: res<{ event: MaintenanceEvent }>(),
  },
  'maintenance.export': {
    req: z
      .object({ from: Time.optional(), to: Time.optional(), status: z.enum(['open', 'resolved']).optional() })
      .strict(),
    res: Csv,
  },
  'audit.list': {
    req: z
      .object({
        from: Time.optional(),
        to: Time.optional(),
        actor: z.string().max(100).optional(),
        action: z.string().max(100).optional(),
        limit: Limit.optional(),
      })
      .strict(),
    res: res<{ entries: AuditEntry[] }>(),
  },
  'audit.export': { req: z.object({ from: Time.optional(), to: Time.optional() }).strict(), res: Csv },
  'auth.signIn': {
    req: z.object({ user: z.string().min(1).max(40), password: z.string().min(1).max(200) }).strict(),
    /** `token` resumes this sign-in on a new connection (auth.resume) until it expires or signs out. */
    res: res<Principal & { token: string }>(),
  },
  'auth.resume': { req: z.object({ token: z.string().min(16).max(200) }).strict(), res: res<Principal>() },
  'auth.signOut': { req: empty, res: res<Principal>() },
  'auth.whoami': { req: empty, res: res<Principal>() },
  'users.list': { req: empty, res: res<{ users: UserView[] }>() },
  'users.create': {
    req: z.object({ name: UserName, role: z.enum(Roles), password: Password }).strict(),
    /** The first account (an admin) signs its creator in: `token` resumes that session. */
    res: res<{ user: UserView; token?: string }>(),
  },
  'users.update': {
    req: z
      .object({
        name: UserName,
        role: z.enum(Roles).optional(),
        password: Password.optional(),
        disabled: z.boolean().optional(),
        /** Clears a lockout after too many wrong passwords (and the count of them). */
        unlock: z.literal(true).optional(),
      })
      .strict(),
    res: res<{ user: UserView }>(),
  },
} as const
