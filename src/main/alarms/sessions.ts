import { randomBytes } from 'node:crypto'
import type { Role } from '../../shared/alarms.ts'

/** A control-room shift and a half: a session unused this long must sign in again. */
const IDLE_MS = 12 * 3600_000

interface Session {
  user: string
  role: Role
  token: string
  lastSeen: number
}

/**
 * Who is signed in on which connection. A transport names its caller (one Electron window,
 * one WebSocket) when it dispatches; sign-in binds that caller to a user. The token lets a
 * reconnecting client (the WebSocket drops, the page reloads) resume the same session.
 */
export class Sessions {
  private readonly byCaller = new Map<string, Session>()
  private readonly byToken = new Map<string, Session>()

  signIn(caller: string, user: string, role: Role, now: number): string {
    this.signOut(caller)
    const s: Session = { user, role, token: randomBytes(24).toString('base64url'), lastSeen: now }
    this.byCaller.set(caller, s)
    this.byToken.set(s.token, s)
    return s.token
  }

  resume(caller: string, token: string, now: number): Session | null {
    const s = this.byToken.get(token)
    if (!s || now - s.lastSeen > IDLE_MS) return null
    s.lastSeen = now
    this.byCaller.set(caller, s)
    return s
  }

  /** Ends the caller's session everywhere it was resumed; returns who it was. */
  signOut(caller: string): Session | null {
    const s = this.byCaller.get(caller)
    if (!s) return null
    this.end(s)
    return s
  }

  /** A connection closed: forget it, keeping the session resumable from elsewhere. */
  detach(caller: string): void {
    this.byCaller.delete(caller)
  }

  get(caller: string, now: number): Session | null {
    const s = this.byCaller.get(caller)
    if (!s) return null
    if (now - s.lastSeen > IDLE_MS) {
      this.end(s)
      return null
    }
    s.lastSeen = now
    return s
  }

  /** A user's role changed or the account was disabled: live sessions follow at once. */
  update(user: string, role: Role | null): void {
    for (const s of [...this.byToken.values()])
      if (s.user === user) {
        if (role) s.role = role
        else this.end(s)
      }
  }

  private end(s: Session): void {
    this.byToken.delete(s.token)
    for (const [c, x] of this.byCaller) if (x === s) this.byCaller.delete(c)
  }
}
