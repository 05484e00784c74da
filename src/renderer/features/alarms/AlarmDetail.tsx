import { useEffect, useState, type FormEvent } from 'react'
import type { AlarmJournalEntry, AlarmView } from '../../../shared/alarms.ts'
import { call, errorText } from '../../api/index.ts'
import { href } from '../../shell/router.ts'
import { can, useAuth } from '../../state/auth-store.ts'
import { formatValue } from '../../state/format.ts'
import { refreshAlarms } from './alarm-feed.ts'
import { alarmClass, stateWords } from './alarm-select.ts'

export type DetailMode = 'shelve' | 'comment' | 'service' | null

const SHELVE_MINUTES = [15, 60, 240, 480, 720, 1440, 4320]
const minutesText = (m: number) => (m < 60 ? `${m} min` : `${m / 60} h`)
const when = (t: number | null) =>
  t === null ? '—' : new Date(t).toLocaleString(undefined, { hour12: false })

/** One alarm: what it is, its history, and what this user may do about it. */
export function AlarmDetail({
  alarm,
  mode,
  setMode,
}: {
  alarm: AlarmView
  mode: DetailMode
  setMode: (m: DetailMode) => void
}) {
  const p = useAuth((s) => s.principal)
  const [history, setHistory] = useState<AlarmJournalEntry[]>([])
  const [text, setText] = useState('')
  const [minutes, setMinutes] = useState(60)
  const [error, setError] = useState<string | null>(null)

  const loadHistory = () =>
    call('alarms.history', { alarmId: alarm.id, limit: 50 })
      .then((r) => setHistory(r.entries))
      .catch((e: unknown) => setError(errorText(e)))
  useEffect(() => {
    void loadHistory()
    // The journal changes when the alarm does.
  }, [alarm.id, alarm.changedAt])
  useEffect(() => {
    setText('')
    setError(null)
  }, [mode, alarm.id])

  const run = async (f: () => Promise<unknown>) => {
    setError(null)
    try {
      await f()
      setMode(null)
      await refreshAlarms()
      await loadHistory()
    } catch (e) {
      setError(errorText(e))
    }
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (mode === 'shelve') void run(() => call('alarms.shelve', { id: alarm.id, reason: text, minutes }))
    if (mode === 'comment') void run(() => call('alarms.comment', { id: alarm.id, text }))
    if (mode === 'service')
      void run(() =>
        call('alarms.setService', {
          id: alarm.id,
          inService: alarm.state === 'out-of-service',
          reason: text,
        }),
      )
  }
  const waiting = alarm.state === 'unack' || alarm.state === 'rtn-unack'
  const mayAck = can(p, 'alarm.ack')
  const mayShelve = can(p, 'alarm.shelve')

  return (
    <aside className="panel alarm-detail" data-testid="alarm-detail">
      <h2 className={alarmClass(alarm)}>{alarm.message}</h2>
      <table className="kv">
        <tbody>
          <tr>
            <th scope="row">State</th>
            <td>{stateWords(alarm.state)}</td>
          </tr>
          <tr>
            <th scope="row">Priority</th>
            <td>{alarm.priority}</td>
          </tr>
          <tr>
            <th scope="row">Alarm</th>
            <td>{alarm.id}</td>
          </tr>
          <tr>
            <th scope="row">Value / limit</th>
            <td className="num">
              {alarm.value === null ? '—' : formatValue(alarm.value)} /{' '}
              {alarm.limit === null ? '—' : formatValue(alarm.limit)}
            </td>
          </tr>
          <tr>
            <th scope="row">Active since</th>
            <td>{when(alarm.activeSince)}</td>
          </tr>
          {alarm.firstOut && (
            <tr>
              <th scope="row">First out</th>
              <td>yes: the first alarm of this upset</td>
            </tr>
          )}
          {alarm.chattering && (
            <tr>
              <th scope="row">Chattering</th>
              <td>3+ activations within a minute</td>
            </tr>
          )}
          {alarm.shelved && (
            <tr>
              <th scope="row">Shelved</th>
              <td>
                by {alarm.shelved.by} until {when(alarm.shelved.until)}: {alarm.shelved.reason}
              </td>
            </tr>
          )}
          {alarm.outOfService && (
            <tr>
              <th scope="row">Out of service</th>
              <td>
                by {alarm.outOfService.by}: {alarm.outOfService.reason}
              </td>
            </tr>
          )}
          {alarm.lastAck && (
            <tr>
              <th scope="row">Last ack</th>
              <td>
                {alarm.lastAck.by} at {when(alarm.lastAck.at)}
                {alarm.lastAck.note ? `: ${alarm.lastAck.note}` : ''}
              </td>
            </tr>
          )}
        </tbody>
      </table>

      <div className="alarm-actions">
        <button
          type="button"
          disabled={!waiting || !mayAck}
          onClick={() => void run(() => call('alarms.ack', { ids: [alarm.id] }))}
        >
          Acknowledge <kbd>A</kbd>
        </button>
        {alarm.state === 'shelved' ? (
          <button
            type="button"
            disabled={!mayShelve}
            onClick={() => void run(() => call('alarms.unshelve', { id: alarm.id }))}
          >
            Unshelve
          </button>
        ) : (
          <button
            type="button"
            disabled={!mayShelve || alarm.state === 'suppressed' || alarm.state === 'out-of-service'}
            onClick={() => setMode('shelve')}
          >
            Shelve… <kbd>S</kbd>
          </button>
        )}
        <button type="button" disabled={!mayAck} onClick={() => setMode('comment')}>
          Comment… <kbd>C</kbd>
        </button>
        <button type="button" disabled={!mayShelve} onClick={() => setMode('service')}>
          {alarm.state === 'out-of-service' ? 'Return to service…' : 'Out of service…'}
        </button>
        <a className="button" href={href('assistant', alarm.assetId, alarm.id)} data-testid="explain-alarm">
          Explain… <kbd>E</kbd>
        </a>
        {alarm.kind === 'model' && (
          <>
            <button
              type="button"
              disabled={!mayAck}
              onClick={() =>
                void run(() => call('alarms.feedback', { id: alarm.id, verdict: 'true-positive' }))
              }
            >
              Real problem
            </button>
            <button
              type="button"
              disabled={!mayAck}
              onClick={() =>
                void run(() => call('alarms.feedback', { id: alarm.id, verdict: 'false-positive' }))
              }
            >
              False alarm
            </button>
          </>
        )}
      </div>
      {!mayAck && <p className="muted">Sign in as an operator or engineer to act on alarms.</p>}

      {mode && (
        <form className="alarm-form" onSubmit={submit} data-testid={`alarm-form-${mode}`}>
          <label>
            {mode === 'comment' ? 'Comment' : 'Reason'}
            <textarea
              autoFocus
              value={text}
              onChange={(e) => setText(e.target.value)}
              rows={2}
              maxLength={mode === 'comment' ? 2000 : 500}
            />
          </label>
          {mode === 'shelve' && (
            <label>
              For
              <select value={minutes} onChange={(e) => setMinutes(Number(e.target.value))}>
                {SHELVE_MINUTES.map((m) => (
                  <option key={m} value={m}>
                    {minutesText(m)}
                  </option>
                ))}
              </select>
            </label>
          )}
          <button type="submit" disabled={text.trim().length < (mode === 'comment' ? 1 : 3)}>
            {mode === 'shelve' ? 'Shelve' : mode === 'comment' ? 'Add comment' : 'Confirm'}
          </button>
          <button type="button" onClick={() => setMode(null)}>
            Cancel <kbd>Esc</kbd>
          </button>
        </form>
      )}
      {error && <p className="banner banner-warning">{error}</p>}

      <h3>History</h3>
      <ol className="alarm-history">
        {history.map((h, i) => (
          <li key={`${h.t}-${i}`}>
            <span className="num">{when(h.t)}</span> <b>{h.action}</b>{' '}
            <span className="muted">{h.actor}</span>
            {h.from && h.to && h.from !== h.to ? (
              <span className="muted">
                {' '}
                {h.from} → {h.to}
              </span>
            ) : null}
            {h.note ? <q>{h.note}</q> : null}
          </li>
        ))}
      </ol>
    </aside>
  )
}
