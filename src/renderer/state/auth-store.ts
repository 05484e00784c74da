import { useStore } from 'zustand'
import { createStore } from 'zustand/vanilla'
import type { Principal } from '../../shared/alarm-channels.ts'
import { call } from '../api/index.ts'

/*
 * Who is signed in on this window's connection. The engine decides (every call is checked in
 * main); this only mirrors it so views can offer what the role may do. The session token is
 * kept for this tab only, so a dropped WebSocket or a reload resumes the same sign-in.
 */

const KEY = 'vigil.session'

export interface AuthState {
  principal: Principal | null
}

export const authStore = createStore<AuthState>(() => ({ principal: null }))
export const useAuth = <T>(select: (s: AuthState) => T): T => useStore(authStore, select)

const storage = (): Storage | null => (typeof sessionStorage === 'undefined' ? null : sessionStorage)

/** Asks the engine who we are, resuming a stored session if the connection is new. */
export async function refreshPrincipal(): Promise<Principal> {
  let p = await call('auth.whoami', {})
  const token = storage()?.getItem(KEY)
  if (!p.user && !p.open && token) {
    try {
      p = await call('auth.resume', { token })
    } catch {
      storage()?.removeItem(KEY)
    }
  }
  authStore.setState({ principal: p })
  return p
}

export async function signIn(user: string, password: string): Promise<Principal> {
  const { token, ...p } = await call('auth.signIn', { user, password })
  storage()?.setItem(KEY, token)
  authStore.setState({ principal: p })
  return p
}

export async function signOut(): Promise<void> {
  storage()?.removeItem(KEY)
  authStore.setState({ principal: await call('auth.signOut', {}) })
}

/** Whether the signed-in role may do `permission` (names as in main's alarms/access.ts). */
export const can = (p: Principal | null, permission: string): boolean => !!p?.permissions.includes(permission)
