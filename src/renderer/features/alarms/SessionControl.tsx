import { useState, type FormEvent } from 'react'
import { CallError } from '../../api/index.ts'
import { signIn, signOut, useAuth } from '../../state/auth-store.ts'

/**
 * Who is at this console: signed in (name, role, sign out), a sign-in form, or the open
 * console of a workstation that has no accounts yet. The engine enforces the role; this only
 * says who it will act as.
 */
export function SessionControl() {
  const p = useAuth((s) => s.principal)
  const [user, setUser] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  if (!p) return null
  if (p.open)
    return (
      <span
        className="session muted"
        data-testid="session"
        title="Create an admin account (users.create) to require sign-in"
      >
        Open console: no user accounts
      </span>
    )
  if (p.user)
    return (
      <span className="session" data-testid="session">
        <b>{p.user}</b> <span className="muted">{p.role}</span>{' '}
        <button type="button" className="small" onClick={() => void signOut()}>
          Sign out
        </button>
      </span>
    )

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await signIn(user.trim(), password)
      setPassword('')
    } catch (err) {
      // The engine's own sentence says what was wrong; the generic banner text is for tokens.
      setError(err instanceof CallError ? err.message : String(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <form className="session sign-in" onSubmit={(e) => void submit(e)} data-testid="sign-in">
      <input
        aria-label="User"
        placeholder="user"
        value={user}
        onChange={(e) => setUser(e.target.value)}
        autoComplete="username"
      />
      <input
        aria-label="Password"
        placeholder="password"
        type="password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        autoComplete="current-password"
      />
      <button type="submit" className="small" disabled={busy || !user || !password}>
        Sign in
      </button>
      {error && <span className="sign-in-error">{error}</span>}
    </form>
  )
}
