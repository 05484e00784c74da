import type { Principal } from '../../shared/alarm-channels.ts'
import { Roles, type Role } from '../../shared/alarms.ts'
import type { View } from './view.ts'

/*
 * Which views a role's navigation offers. This only tidies the screen: the engine checks
 * every call against the caller's role (src/main/alarms/access.ts), so a hidden view typed
 * into the address bar still gets `forbidden` for what the role may not do.
 */

/** The role a principal's navigation follows; null for the open console and for a principal not yet known. */
export function navRole(p: Principal | null): Role | null {
  if (!p || p.open) return null
  // Nobody signed in may still view: the floor's read-only screens, the operator's.
  if (p.role === 'anonymous' || p.role === 'local') return 'operator'
  return (Roles as readonly string[]).includes(p.role) ? p.role : 'operator'
}

/** The views in navigation for this principal: all on an open console, else those naming its role (or none). */
export function visibleViews<V extends Pick<View, 'roles'>>(views: V[], p: Principal | null): V[] {
  if (p?.open) return views
  const role = navRole(p)
  // Before the engine says who this is, only the views every role shares.
  if (role === null) return views.filter((v) => !v.roles)
  return views.filter((v) => !v.roles || v.roles.includes(role))
}

/** Whether a view may be shown to this principal (an unknown principal is not refused yet). */
export function mayShow(v: Pick<View, 'roles'>, p: Principal | null): boolean {
  if (!p || p.open || !v.roles) return true
  const role = navRole(p)
  return role === null || v.roles.includes(role)
}

/** Where a role lands: what it opens Vigil for (DESIGN.md: users). */
const LANDING: Partial<Record<Role, string>> = {
  admin: 'health',
  engineer: 'engineering',
  'plant-head': 'plant-head',
  management: 'management',
}

export function landingFor(p: Principal | null, fallback: string): string {
  const role = navRole(p)
  return (role && LANDING[role]) ?? fallback
}

/** A view from another folder with the roles it serves, unless its index.ts names them itself. */
export function withRoles<V extends View>(v: V, roles: readonly Role[]): V {
  return v.roles ? v : { ...v, roles }
}
