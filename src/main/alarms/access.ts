import type { Principal } from '../../shared/alarm-channels.ts'
import type { AuditEntry, Role } from '../../shared/alarms.ts'
import { isMethod, type Method } from '../../shared/contract.ts'
import { fail, type Result } from '../../shared/errors.ts'
import type { CallContext } from '../engine/dispatch.ts'
import type { Accounts } from './accounts.ts'
import type { Sessions } from './sessions.ts'

/** What a role may do. `configure` covers tag, alarm, source and model settings, imports and fitting. */
export const Permissions = [
  'view',
  'alarm.ack',
  'alarm.shelve',
  'maintenance.resolve',
  'maintenance.export',
  'kpi.view',
  'financial.view',
  'approve',
  'advice.decide',
  'audit.view',
  'users.manage',
  'sim.control',
  'configure',
] as const
export type Permission = (typeof Permissions)[number]

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  operator: ['view', 'alarm.ack', 'advice.decide'],
  engineer: [
    'view',
    'alarm.ack',
    'alarm.shelve',
    'maintenance.resolve',
    'maintenance.export',
    'kpi.view',
    'advice.decide',
    'sim.control',
    'configure',
  ],
  'plant-head': [
    'view',
    'kpi.view',
    'approve',
    'advice.decide',
    'maintenance.resolve',
    'maintenance.export',
    'audit.view',
  ],
  management: ['view', 'kpi.view', 'financial.view', 'maintenance.export'],
  admin: ['view', 'audit.view', 'users.manage', 'sim.control', 'configure'],
}

/**
 * Each channel's permission; `public` needs no sign-in. A channel missing here needs
 * `configure`: a new channel is refused to operators until its owner says otherwise.
 */
const METHOD_PERMISSION: Partial<Record<Method, Permission | 'public'>> = {
  'auth.signIn': 'public',
  'auth.resume': 'public',
  'auth.signOut': 'public',
  'auth.whoami': 'public',
  'plant.describe': 'view',
  'live.snapshot': 'view',
  'history.range': 'view',
  'history.stats': 'view',
  'history.export': 'view',
  'models.list': 'view',
  'system.health': 'view',
  'history.scores': 'view',
  'history.annotations': 'view',
  // Pinning a note to history is the same right as commenting on an alarm.
  'history.annotate': 'alarm.ack',
  'models.contributions': 'view',
  // An explanation reads what the views already show: the same right.
  'assistant.explain': 'view',
  'models.figures': 'view',
  'models.predictions': 'view',
  'models.fit': 'configure',
  // Loading models dropped into the user's folder changes what scores the plant.
  'models.reload': 'configure',
  'models.thresholds': 'view',
  'kpi.engineer': 'kpi.view',
  'kpi.plantHead': 'kpi.view',
  'kpi.management': 'financial.view',
  // Accepting a threshold changes what raises alarms: a setting, audited like any other.
  'models.acceptThreshold': 'configure',
  // A calibration only reads the history and proposes; applying it is models.acceptThreshold.
  'models.calibrateThreshold': 'view',
  'alarms.list': 'view',
  'alarms.stats': 'view',
  'alarms.history': 'view',
  'maintenance.list': 'view',
  'import.datasets': 'view',
  'alarms.ack': 'alarm.ack',
  'alarms.comment': 'alarm.ack',
  'alarms.feedback': 'alarm.ack',
  'alarms.shelve': 'alarm.shelve',
  'alarms.unshelve': 'alarm.shelve',
  'alarms.setService': 'alarm.shelve',
  'maintenance.resolve': 'maintenance.resolve',
  'maintenance.export': 'maintenance.export',
  'audit.list': 'audit.view',
  'audit.export': 'audit.view',
  'users.list': 'users.manage',
  'users.create': 'users.manage',
  'users.update': 'users.manage',
  'sim.inject': 'sim.control',
  'sim.clear': 'sim.control',
  'sim.setpoint': 'sim.control',
  'opcua.browse': 'configure',
  'opcua.trust': 'configure',
  // Accepting or dismissing a setpoint suggestion: the people who run the plant, audited.
  'optimizer.decide': 'advice.decide',
  'optimizer.decisions': 'view',
}

export const permissionOf = (m: Method): Permission | 'public' => METHOD_PERMISSION[m] ?? 'configure'
const rolesWith = (p: Permission) =>
  (Object.keys(ROLE_PERMISSIONS) as Role[]).filter((r) => ROLE_PERMISSIONS[r].includes(p))

export interface AccessDeps {
  accounts: Accounts
  sessions: Sessions
  now(): number
  audit(entry: Omit<AuditEntry, 'id'>): void
  /** Makes what was written durable; the answer waits for it. */
  commit(): Promise<void>
}

export type InnerDispatch = (method: string, raw: unknown, ctx: CallContext) => Promise<Result<unknown>>

export function principalOf(deps: AccessDeps, caller: string): Principal {
  if (deps.accounts.open) return { user: 'local', role: 'local', open: true, permissions: [...Permissions] }
  const s = deps.sessions.get(caller, deps.now())
  if (s) return { user: s.user, role: s.role, open: false, permissions: [...ROLE_PERMISSIONS[s.role]] }
  return { user: null, role: 'anonymous', open: false, permissions: ['view'] }
}

const SECRET = /password|token|secret/i
/** The request as the audit keeps it: secrets blanked, long text cut. */
function detailOf(raw: unknown): string | null {
  if (raw === undefined || raw === null) return null
  // Electron IPC can deliver a BigInt, which JSON.stringify refuses; the audit keeps its digits.
  const s = JSON.stringify(raw, (k, v: unknown) =>
    SECRET.test(k) ? '***' : typeof v === 'bigint' ? `${v}n` : v,
  )
  return s.length > 1000 ? `${s.slice(0, 1000)}…` : s
}

function targetOf(raw: unknown): string | null {
  if (!raw || typeof raw !== 'object') return null
  const r = raw as Record<string, unknown>
  const t = r.id ?? (Array.isArray(r.ids) ? r.ids.join(', ') : undefined) ?? r.name ?? r.user ?? r.assetId
  return t === undefined ? null : String(t).slice(0, 500)
}

/**
 * The permission check at the contract boundary, in main, for every transport: a caller
 * whose role lacks the channel's permission gets `forbidden` before the request is even
 * parsed. Everything but plain viewing is audited (who, role, what, on what, outcome), denied
 * attempts included, and committed before the answer goes back.
 */
export function guardDispatch(inner: InnerDispatch, deps: AccessDeps) {
  return async function dispatch(method: string, raw: unknown, caller = 'local'): Promise<Result<unknown>> {
    const who = principalOf(deps, caller)
    const ctx: CallContext = { caller, user: who.user ?? 'anonymous', role: who.role }
    if (!isMethod(method)) return inner(method, raw, ctx)
    const need = permissionOf(method)
    const record = (actor: string, role: string, outcome: AuditEntry['outcome'], why?: string) =>
      deps.audit({
        t: deps.now(),
        actor,
        role,
        action: method,
        target: targetOf(raw),
        outcome,
        detail: [detailOf(raw), why].filter(Boolean).join(' — ') || null,
      })
    if (need !== 'public' && !who.permissions.includes(need)) {
      const as = who.user ? `"${who.user}" (${who.role})` : 'nobody signed in'
      const message = `${method}: ${as} may not do this; it needs a user with the role ${rolesWith(need).join(' or ')}`
      record(ctx.user, ctx.role, 'denied', message)
      await deps.commit().catch(() => {})
      return fail('forbidden', message)
    }
    const result = await inner(method, raw, ctx)
    if (need === 'view' || method === 'auth.whoami') return result
    // A sign-in is the signed-in user's act; anything else is the caller's as they were.
    const after = method === 'auth.signIn' && result.ok ? principalOf(deps, caller) : who
    record(
      after.user ?? 'anonymous',
      after.role,
      result.ok ? 'ok' : 'failed',
      result.ok ? undefined : result.error.message,
    )
    try {
      await deps.commit()
    } catch (e) {
      if (result.ok)
        return fail(
          'unavailable',
          `${method} was done but could not be stored: ${e instanceof Error ? e.message : String(e)}`,
        )
    }
    return result
  }
}
