import { useCallback, useEffect, useState, type FormEvent } from 'react'
import type { MaintenanceEvent } from '../../../shared/alarms.ts'
import { call, errorText, onLive } from '../../api/index.ts'
import { download } from '../../shell/download.ts'
import type { ViewProps } from '../../shell/view.ts'
import { can, refreshPrincipal, useAuth } from '../../state/auth-store.ts'
import { formatValue } from '../../state/format.ts'
import { useSession } from '../../state/use-live.ts'
import '../alarms/alarms.css'
import { formatCost, timeline, totals } from './timeline.ts'

type Status = '' | 'open' | 'resolved'
const time = (t: number) => new Date(t).toLocaleTimeString(undefined, { hour12: false })

function EventRow({
  e,
  mayResolve,
  onResolved,
}: {
  e: MaintenanceEvent
  mayResolve: boolean
  onResolved: () => void
}) {
  const [notes, setNotes] = useState('')
  const [open, setOpen] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const resolve = async (ev: FormEvent) => {
    ev.preventDefault()
    try {
      await call('maintenance.resolve', { id: e.id, notes })
      setOpen(false)
      onResolved()
    } catch (err) {
      setError(errorText(err))
    }
  }
  return (
    <li
      className={`maint-event ${e.status} sev-${e.severity}`}
      data-testid={`event-${e.workOrder}`}
      data-status={e.status}
    >
      <span className="num">{time(e.openedAt)}</span>
      <b>{e.severity}</b>
      <span>
        <b>{e.workOrder}</b> {e.assetId} · {e.message}
        {e.value !== null && <span className="muted"> (value {formatValue(e.value)})</span>}
        {e.status === 'resolved' && (
          <span className="muted">
            {' '}
            — resolved by {e.resolvedBy}: {e.notes}
          </span>
        )}
      </span>
      <span className="num">{formatCost(e.cost, e.currency)}</span>
      <span>
        {e.status === 'open' ? (
          <button type="button" className="small" disabled={!mayResolve} onClick={() => setOpen(!open)}>
            Resolve…
          </button>
        ) : (
          'resolved'
        )}
      </span>
      {open && (
        <form onSubmit={(ev) => void resolve(ev)}>
          <input
            autoFocus
            aria-label="Resolution notes"
            placeholder="What was done"
            value={notes}
            onChange={(ev) => setNotes(ev.target.value)}
          />
          <button type="submit" disabled={!notes.trim()}>
            Resolve
          </button>
          {error && <span className="sign-in-error">{error}</span>}
        </form>
      )}
    </li>
  )
}

/** The maintenance timeline: events by day with severity, estimated cost and status; resolve and export. */
export function MaintenanceView(_: ViewProps) {
  const assets = useSession((s) => s.plant)?.assets ?? []
  const p = useAuth((s) => s.principal)
  const [events, setEvents] = useState<MaintenanceEvent[]>([])
  const [currency, setCurrency] = useState('INR')
  const [status, setStatus] = useState<Status>('')
  const [assetId, setAssetId] = useState('')
  const [error, setError] = useState<string | null>(null)

  const load = useCallback(async () => {
    try {
      const r = await call('maintenance.list', {
        ...(status ? { status } : {}),
        ...(assetId ? { assetId } : {}),
      })
      setEvents(r.events)
      setCurrency(r.totals.currency)
      setError(null)
    } catch (e) {
      setError(errorText(e))
    }
  }, [status, assetId])

  useEffect(() => {
    void load()
    void refreshPrincipal().catch(() => {})
    const off = onLive((m) => {
      if (m.topic === 'alarms' && m.maintenance.length) void load()
    })
    const timer = setInterval(() => void load(), 10_000)
    return () => {
      off()
      clearInterval(timer)
    }
  }, [load])

  const exportCsv = async () => {
    try {
      const r = await call('maintenance.export', status ? { status } : {})
      download(r.filename, r.csv)
    } catch (e) {
      setError(errorText(e))
    }
  }
  const sum = totals(events)

  return (
    <section className="maintenance" data-testid="maintenance-view">
      <h1>Maintenance</h1>
      <div className="maint-totals">
        <span>
          <b>{sum.open}</b> open, estimated <b>{formatCost(sum.openCost, currency)}</b>
        </span>
        <span className="muted">resolved {formatCost(sum.resolvedCost, currency)}</span>
        <select aria-label="Status" value={status} onChange={(e) => setStatus(e.target.value as Status)}>
          <option value="">Open and resolved</option>
          <option value="open">Open</option>
          <option value="resolved">Resolved</option>
        </select>
        <select aria-label="Asset" value={assetId} onChange={(e) => setAssetId(e.target.value)}>
          <option value="">All assets</option>
          {assets.map((a) => (
            <option key={a.id} value={a.id}>
              {a.id}
            </option>
          ))}
        </select>
        <button type="button" disabled={!can(p, 'maintenance.export')} onClick={() => void exportCsv()}>
          Export work orders (CSV)
        </button>
      </div>
      {error && <p className="banner banner-warning">{error}</p>}
      {events.length === 0 && <p className="empty">No maintenance events.</p>}
      {timeline(events).map((d) => (
        <div key={d.day}>
          <h2 className="maint-day">{d.day}</h2>
          <ol className="plain">
            {d.events.map((e) => (
              <EventRow
                key={e.id}
                e={e}
                mayResolve={can(p, 'maintenance.resolve')}
                onResolved={() => void load()}
              />
            ))}
          </ol>
        </div>
      ))}
    </section>
  )
}
