import { VigilError } from '../../shared/errors.ts'
import type { Handlers } from '../engine/dispatch.ts'
import { principalOf, type AccessDeps } from './access.ts'

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
      const u = await d.accounts.verify(user, password)
      if (!u)
        throw new VigilError(
          'unauthorized',
          'auth.signIn: wrong user name or password, or the account is disabled',
        )
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
    'users.update': async ({ name, role, password, disabled }) => {
      const user = await d.accounts.update(name, { role, password, disabled })
      d.sessions.update(user.name, user.disabled ? null : user.role)
      return { user }
    },
  }
}
