import { useCallback, useEffect, useState } from 'react'
import type { AuditEntry } from '../../../shared/alarms.ts'
import { call, errorText } from '../../api/index.ts'
import { download } from '../../shell/download.ts'
import type { ViewProps } from '../../shell/view.ts'

const stamp = (t: number) => new Date(t).toISOString().replace('T', ' ').slice(0, 19)
/** A datetime-local field's text as epoch ms (local time), or undefined when empty. */
const epoch = (s: string) => (s ? new Date(s).getTime() : undefined)

function rangeOf(f: { from: string; to: string }): { from?: number; to?: number } {
  const from = epoch(f.from)
  const to = epoch(f.to)
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) }
}

/** The append-only audit trail, read-only: filter by who, what and when; export as CSV. */
export function AuditView(_: ViewProps) {
  const [entries, setEntries] = useState<AuditEntry[]>([])
  const [f, setF] = useState({ actor: '', action: '', from: '', to: '' })
  const [error, setError] = useState<string | null>(null)

  const load = useCallback(async () => {
    try {
      const r = await call('audit.list', {
        ...rangeOf(f),
        ...(f.actor ? { actor: f.actor } : {}),
        ...(f.action ? { action: f.action } : {}),
        limit: 500,
      })
      setEntries(r.entries)
      setError(null)
    } catch (e) {
      setError(errorText(e))
    }
  }, [f])
  useEffect(() => void load(), [load])

  const exportCsv = async () => {
    try {
      const r = await call('audit.export', rangeOf(f))
      download(r.filename, r.csv)
    } catch (e) {
      setError(errorText(e))
    }
  }
  const field = (k: keyof typeof f, label: string, type = 'text') => (
    <label>
      {label}{' '}
      <input
        type={type}
        aria-label={label}
        value={f[k]}
        onChange={(e) => setF({ ...f, [k]: e.target.value })}
      />
    </label>
  )

  return (
    <section className="audit" data-testid="audit-view">
      <h1>Audit trail</h1>
      <div className="panel audit-filters">
        {field('actor', 'Who')}
        {field('action', 'Action')}
        {field('from', 'From', 'datetime-local')}
        {field('to', 'To', 'datetime-local')}
        <button type="button" onClick={() => void exportCsv()}>
          Export CSV
        </button>
        <span className="muted">newest first, up to 500 shown; the export holds the whole range</span>
      </div>
      {error && <p className="banner banner-warning">{error}</p>}
      <table className="grid" data-testid="audit">
        <thead>
          <tr>
            <th className="num">When (UTC)</th>
            <th>Who</th>
            <th>Role</th>
            <th>Action</th>
            <th>On</th>
            <th>Outcome</th>
            <th>Detail</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} data-action={e.action}>
              <td className="num">{stamp(e.t)}</td>
              <td>{e.actor}</td>
              <td>{e.role}</td>
              <td>{e.action}</td>
              <td>{e.target ?? ''}</td>
              <td className={e.outcome === 'ok' ? '' : 'cell-warning'}>{e.outcome}</td>
              <td className="muted">{e.detail ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {entries.length === 0 && <p className="empty">Nothing recorded for these filters.</p>}
    </section>
  )
}
