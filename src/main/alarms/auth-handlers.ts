import { VigilError } from '../../shared/errors.ts'
import type { Handlers } from '../engine/dispatch.ts'
import { principalOf, type AccessDeps } from './access.ts'
import { LOCK_AFTER } from './accounts.ts'

export type AuthHandlers = Pick<
  Handlers,
  | 'auth.signIn'
  | 'auth.resume'
  | 'auth.signOut'
  | 'auth.whoami'
  | 'users.list'
  | 'users.create'
  | 'users.update'
>

/** Sign-in on the caller's connection, and user accounts. */
export function authHandlers(d: AccessDeps): AuthHandlers {
  return {
    'auth.signIn': async ({ user, password }, ctx) => {
      if (d.accounts.open)
        throw new VigilError(
          'bad-request',
          'auth.signIn: there are no user accounts yet; create the first (an admin) with users.create',
        )
      const r = await d.accounts.signIn(user, password, d.now())
      if (!r.ok) {
        if (r.lockedNow)
          // Its own audit row, so an admin filtering the trail for lockouts finds it.
          d.audit({
            t: d.now(),
            actor: 'system',
            role: 'system',
            action: 'users.lock',
            target: d.accounts.get(user)?.name ?? user,
            outcome: 'ok',
            detail: `${LOCK_AFTER} wrong passwords in a row; locked until an admin unlocks it`,
          })
        if (r.why === 'locked' || r.lockedNow)
          throw new VigilError(
            'unauthorized',
            `auth.signIn: the account is locked after ${LOCK_AFTER} wrong passwords in a row; an admin must unlock it (Users view, or vigil users set NAME --unlock)`,
          )
        throw new VigilError(
          'unauthorized',
          'auth.signIn: wrong user name or password, or the account is disabled',
        )
      }
      const u = r.user
      const token = d.sessions.signIn(ctx.caller, u.name, u.role, d.now())
      return { ...principalOf(d, ctx.caller), token }
    },
    'auth.resume': ({ token }, ctx) => {
      const s = d.sessions.resume(ctx.caller, token, d.now())
      if (!s) throw new VigilError('unauthorized', 'auth.resume: the session has ended; sign in again')
      return principalOf(d, ctx.caller)
    },
    'auth.signOut': (_, ctx) => {
      d.sessions.signOut(ctx.caller)
      return principalOf(d, ctx.caller)
    },
    'auth.whoami': (_, ctx) => principalOf(d, ctx.caller),
    'users.list': () => ({ users: d.accounts.list() }),
    'users.create': async ({ name, role, password }, ctx) => {
      const first = d.accounts.open
      const user = await d.accounts.create(name, role, password, d.now())
      // Whoever sets up the first account is its admin at this console; nobody else is locked in or out.
      if (!first) return { user }
      return { user, token: d.sessions.signIn(ctx.caller, user.name, user.role, d.now()) }
    },
    'users.update': async ({ name, role, password, disabled, unlock }) => {
      const user = await d.accounts.update(name, { role, password, disabled, unlock })
      d.sessions.update(user.name, user.disabled ? null : user.role)
      return { user }
    },
  }
}
