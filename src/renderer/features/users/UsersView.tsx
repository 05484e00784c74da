import { useCallback, useEffect, useState, type FormEvent } from 'react'
import { Roles, type Role, type UserView } from '../../../shared/alarms.ts'
import { call, errorText } from '../../api/index.ts'
import type { ViewProps } from '../../shell/view.ts'
import { formatTime } from '../../state/format.ts'

/** One account: role, enable/disable, a new password, unlock after too many wrong passwords. */
function UserRow({ u, onChange }: { u: UserView; onChange: (r: Promise<unknown>) => void }) {
  const [password, setPassword] = useState('')
  const update = (change: { role?: Role; disabled?: boolean; password?: string; unlock?: true }) =>
    onChange(call('users.update', { name: u.name, ...change }))
  return (
    <tr data-testid={`user-${u.name}`}>
      <th>{u.name}</th>
      <td>
        <select
          aria-label={`Role of ${u.name}`}
          value={u.role}
          onChange={(e) => update({ role: e.target.value as Role })}
        >
          {Roles.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </td>
      {/* Colour only for what is abnormal: a locked or disabled account. */}
      <td className={u.locked ? 'cell-warning' : u.disabled ? 'cell-low' : ''} data-testid="user-state">
        {u.locked ? `LOCKED (${u.failedSignIns} wrong passwords)` : u.disabled ? 'disabled' : 'active'}
      </td>
      <td className="num">{formatTime(u.createdAt)}</td>
      <td>
        {u.locked && (
          <button type="button" className="small" onClick={() => update({ unlock: true })}>
            Unlock
          </button>
        )}{' '}
        <button type="button" className="small" onClick={() => update({ disabled: !u.disabled })}>
          {u.disabled ? 'Enable' : 'Disable'}
        </button>
      </td>
      <td>
        <form
          onSubmit={(e) => {
            e.preventDefault()
            update({ password })
            setPassword('')
          }}
        >
          <input
            type="password"
            aria-label={`New password for ${u.name}`}
            placeholder="new password (8+)"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <button type="submit" className="small" disabled={password.length < 8}>
            Reset
          </button>
        </form>
      </td>
    </tr>
  )
}

/** Local accounts (admin): list, create, set role, disable, reset a password, unlock. Every change is audited in main. */
export function UsersView(_: ViewProps) {
  const [users, setUsers] = useState<UserView[]>([])
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const [draft, setDraft] = useState({ name: '', role: 'operator' as Role, password: '' })

  const load = useCallback(async () => {
    try {
      setUsers((await call('users.list', {})).users)
      setError(null)
    } catch (e) {
      setError(errorText(e))
    }
  }, [])
  useEffect(() => void load(), [load])

  const settle = (what: string) => async (p: Promise<unknown>) => {
    try {
      await p
      setDone(what)
      await load()
    } catch (e) {
      setError(errorText(e))
    }
  }
  const create = (e: FormEvent) => {
    e.preventDefault()
    void settle(`created ${draft.name}`)(call('users.create', draft)).then(() =>
      setDraft({ ...draft, name: '', password: '' }),
    )
  }

  return (
    <section className="users" data-testid="users-view">
      <h1>Users</h1>
      {error && <p className="banner banner-warning">{error}</p>}
      {done && !error && (
        <p className="muted" data-testid="users-done">
          Done: {done}.
        </p>
      )}
      <table className="grid" data-testid="users">
        <thead>
          <tr>
            <th>User</th>
            <th>Role</th>
            <th>State</th>
            <th className="num">Created</th>
            <th>Account</th>
            <th>Password</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <UserRow key={u.name} u={u} onChange={(p) => void settle(`updated ${u.name}`)(p)} />
          ))}
        </tbody>
      </table>
      {users.length === 0 && (
        <p className="empty">No accounts: Vigil runs open. The first account must be an admin.</p>
      )}
      <h2>New user</h2>
      <form className="panel" onSubmit={create} data-testid="user-create">
        <input
          aria-label="User name"
          placeholder="name"
          value={draft.name}
          onChange={(e) => setDraft({ ...draft, name: e.target.value })}
        />
        <select
          aria-label="Role"
          value={draft.role}
          onChange={(e) => setDraft({ ...draft, role: e.target.value as Role })}
        >
          {Roles.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
        <input
          type="password"
          aria-label="Password"
          placeholder="password (8+)"
          autoComplete="new-password"
          value={draft.password}
          onChange={(e) => setDraft({ ...draft, password: e.target.value })}
        />
        <button type="submit" disabled={!draft.name || draft.password.length < 8}>
          Create
        </button>
      </form>
    </section>
  )
}
