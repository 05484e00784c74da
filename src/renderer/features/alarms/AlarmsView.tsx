import { useEffect, useMemo, useState } from 'react'
import { Priorities, type AlarmView, type Priority } from '../../../shared/alarms.ts'
import { call, errorText } from '../../api/index.ts'
import { href } from '../../shell/router.ts'
import type { ViewProps } from '../../shell/view.ts'
import { can, useAuth } from '../../state/auth-store.ts'
import { formatTime, formatValue } from '../../state/format.ts'
import { useSession } from '../../state/use-live.ts'
import { AlarmDetail, type DetailMode } from './AlarmDetail.tsx'
import { refreshAlarms, useAlarmFeed, useAlarms } from './alarm-feed.ts'
import {
  alarmClass,
  defaultFilter,
  selectAlarms,
  stateWords,
  StateFilters,
  type AlarmFilter,
  type StateFilter,
} from './alarm-select.ts'
import './alarms.css'

const typing = (t: EventTarget | null) =>
  t instanceof HTMLElement && /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)

/**
 * The alarm summary (ISA-18.2 / ISA-101): unacknowledged first, colour only for alarms in
 * alarm, by priority. Keyboard: ↑/↓ select, A acknowledge, Shift+A acknowledge every
 * unacknowledged alarm shown, S shelve, C comment, E explain (the Assistant), Esc close the form.
 */
export function AlarmsView(_: ViewProps) {
  useAlarmFeed()
  const all = useAlarms((s) => s.alarms)
  const stats = useAlarms((s) => s.stats)
  const feedError = useAlarms((s) => s.error)
  const assets = useSession((s) => s.plant)?.assets ?? []
  const p = useAuth((s) => s.principal)
  const [filter, setFilter] = useState<AlarmFilter>(defaultFilter)
  const [selected, setSelected] = useState<string | null>(null)
  const [mode, setMode] = useState<DetailMode>(null)
  const [error, setError] = useState<string | null>(null)
  const rows = useMemo(() => selectAlarms(all, filter), [all, filter])
  const current = rows.find((a) => a.id === selected) ?? null

  const ack = async (ids: string[]) => {
    if (ids.length === 0) return
    try {
      await call('alarms.ack', { ids })
      setError(null)
      await refreshAlarms()
    } catch (e) {
      setError(errorText(e))
    }
  }

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') return setMode(null)
      if (typing(e.target) || e.ctrlKey || e.metaKey || e.altKey) return
      const i = rows.findIndex((a) => a.id === selected)
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault()
        const next = rows[Math.max(0, Math.min(rows.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1)))]
        if (next) setSelected(next.id)
      } else if (e.key === 'A' && e.shiftKey) {
        void ack(rows.filter((a) => a.state === 'unack' || a.state === 'rtn-unack').map((a) => a.id))
      } else if (e.key === 'a' && current) void ack([current.id])
      else if (e.key === 's' && current && can(p, 'alarm.shelve')) setMode('shelve')
      else if (e.key === 'c' && current && can(p, 'alarm.ack')) setMode('comment')
      else if (e.key === 'e' && current) window.location.hash = href('assistant', current.assetId, current.id)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  })

  const togglePriority = (pr: Priority) =>
    setFilter((f) => ({
      ...f,
      priorities: f.priorities.includes(pr) ? f.priorities.filter((x) => x !== pr) : [...f.priorities, pr],
    }))

  return (
    <section className="alarms" data-testid="alarms-view">
      <h1>Alarms</h1>
      {stats && (
        <p className="alarm-stats" data-testid="alarm-stats">
          {stats.flood.active && (
            <span className="cell-critical">FLOOD: {stats.flood.newIn10Min} new in 10 min</span>
          )}
          <span>
            <b>{stats.standing}</b> standing
          </span>
          <span>
            <b>{stats.unacked}</b> unacknowledged
          </span>
          <span>
            <b>{stats.shelved}</b> shelved
          </span>
          <span>
            <b>{stats.suppressed}</b> suppressed
          </span>
          <span>
            <b>{stats.outOfService}</b> out of service
          </span>
          <span>
            <b>{stats.chattering}</b> chattering
          </span>
          <span>
            <b>{stats.stale}</b> stale (&gt; 24 h)
          </span>
          {stats.feedback.falsePositiveRate !== null && (
            <span>
              model false alarms <b>{(stats.feedback.falsePositiveRate * 100).toFixed(0)}%</b>
            </span>
          )}
        </p>
      )}
      <div className="alarm-filters">
        <span className="segmented" role="group" aria-label="Priority">
          {Priorities.map((pr) => (
            <button
              key={pr}
              type="button"
              aria-pressed={filter.priorities.includes(pr)}
              onClick={() => togglePriority(pr)}
            >
              {pr}
            </button>
          ))}
        </span>
        <select
          aria-label="State"
          value={filter.state}
          onChange={(e) => setFilter((f) => ({ ...f, state: e.target.value as StateFilter }))}
        >
          {(Object.keys(StateFilters) as StateFilter[]).map((k) => (
            <option key={k} value={k}>
              {StateFilters[k].label}
            </option>
          ))}
        </select>
        <select
          aria-label="Asset"
          value={filter.assetId}
          onChange={(e) => setFilter((f) => ({ ...f, assetId: e.target.value }))}
        >
          <option value="">All assets</option>
          {assets.map((a) => (
            <option key={a.id} value={a.id}>
              {a.id}
            </option>
          ))}
        </select>
        <button
          type="button"
          disabled={!can(p, 'alarm.ack') || !rows.some((a) => a.state === 'unack' || a.state === 'rtn-unack')}
          onClick={() =>
            void ack(rows.filter((a) => a.state === 'unack' || a.state === 'rtn-unack').map((a) => a.id))
          }
        >
          Acknowledge all shown <kbd>Shift+A</kbd>
        </button>
      </div>
      {(error ?? feedError) && <p className="banner banner-warning">{error ?? feedError}</p>}
      <div className="alarms-body">
        <table className="grid alarm-list">
          <thead>
            <tr>
              <th>Priority</th>
              <th>State</th>
              <th>Since</th>
              <th>Asset</th>
              <th>Alarm</th>
              <th className="num">Value</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((a: AlarmView) => (
              <tr
                key={a.id}
                className={`${alarmClass(a)}${a.id === selected ? ' selected' : ''}`}
                aria-selected={a.id === selected}
                onClick={() => setSelected(a.id)}
                data-alarm={a.id}
                data-state={a.state}
              >
                <td>
                  {a.priority}
                  {a.firstOut ? ' ①' : ''}
                </td>
                <td>
                  {stateWords(a.state)}
                  {a.chattering ? ' (chattering)' : ''}
                </td>
                <td className="num">{formatTime(a.activeSince ?? a.changedAt)}</td>
                <td>{a.assetId}</td>
                <td>{a.message}</td>
                <td className="num">{a.value === null ? '—' : formatValue(a.value)}</td>
              </tr>
            ))}
            {rows.length === 0 && (
              <tr>
                <td colSpan={6} className="empty">
                  No alarms match.
                </td>
              </tr>
            )}
          </tbody>
        </table>
        {current ? (
          <AlarmDetail alarm={current} mode={mode} setMode={setMode} />
        ) : (
          rows.length > 0 && (
            // An empty column beside the list reads as broken: say what it is for.
            <p className="panel muted" data-testid="alarm-detail-hint">
              Select an alarm (click, or ↑/↓) to see its history and act on it: A acknowledge, S shelve, C
              comment, E explain in the Assistant.
            </p>
          )
        )}
      </div>
    </section>
  )
}
