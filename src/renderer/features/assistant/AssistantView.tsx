import { useCallback, useEffect, useState } from 'react'
import type { Explanation, LikelyCause, SimilarEvent } from '../../../shared/assistant-channels.ts'
import { call, errorText } from '../../api/index.ts'
import { href } from '../../shell/router.ts'
import type { ViewProps } from '../../shell/view.ts'
import { formatScore, formatValue } from '../../state/format.ts'
import { useSession } from '../../state/use-live.ts'
import { useAlarmFeed, useAlarms } from '../alarms/alarm-feed.ts'
import { alarmClass } from '../alarms/alarm-select.ts'
import { assistantTarget, contributorClass, deviationWidth, percent, sigma } from './explanation-view.ts'
import './assistant.css'

const when = (t: number | null) =>
  t === null
    ? '—'
    : new Date(t).toLocaleString(undefined, { hour12: false, dateStyle: 'short', timeStyle: 'medium' })
const KIND_WORDS: Record<SimilarEvent['kind'], string> = {
  alarm: 'Alarm',
  maintenance: 'Work order',
  anomaly: 'Model finding',
}

/**
 * The Assistant: for an alarm (#/assistant/<asset>/<alarm>) or an asset's current state
 * (#/assistant/<asset>), what the engine found in the data on this machine: the sensors
 * behind it and how far each is from its normal, how long it has been building, similar past
 * events with what people wrote then, and the asset class's likely causes with their checks.
 */
export function AssistantView({ params }: ViewProps) {
  useAlarmFeed()
  const plant = useSession((s) => s.plant)
  const alarms = useAlarms((s) => s.alarms)
  const target = assistantTarget(params)
  const assetId = target.assetId ?? plant?.assets.find((a) => a.origin !== 'imported')?.id ?? null
  const [data, setData] = useState<Explanation | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const load = useCallback(() => {
    if (!assetId) return
    setBusy(true)
    call('assistant.explain', { assetId, ...(target.alarmId ? { alarmId: target.alarmId } : {}) })
      .then((e) => {
        setData(e)
        setError(null)
      })
      .catch((e: unknown) => setError(errorText(e)))
      .finally(() => setBusy(false))
  }, [assetId, target.alarmId])
  useEffect(load, [load])

  const active = Object.values(alarms)
    .filter((a) => a.assetId === assetId && a.activeSince !== null)
    .sort((a, b) => (b.activeSince ?? 0) - (a.activeSince ?? 0))
  const assets = (plant?.assets ?? []).filter((a) => a.origin !== 'imported')

  return (
    <section className="assistant" data-testid="assistant-view">
      <div className="assistant-head">
        <h1>Assistant</h1>
        <label>
          Asset{' '}
          <select
            value={assetId ?? ''}
            onChange={(e) => (window.location.hash = href('assistant', e.target.value))}
            data-testid="assistant-asset"
          >
            {assets.map((a) => (
              <option key={a.id} value={a.id}>
                {a.id} {a.name}
              </option>
            ))}
          </select>
        </label>
        <a
          className="button"
          href={assetId ? href('assistant', assetId) : '#'}
          aria-current={!target.alarmId}
        >
          Explain the asset now
        </a>
        <button type="button" onClick={load} disabled={busy}>
          {busy ? 'Working…' : 'Refresh'}
        </button>
        <span className="muted">Made on this machine from its stored data; no outside service.</span>
      </div>
      {active.length > 0 && (
        <nav className="assistant-alarms" aria-label="Active alarms of this asset">
          <span className="label">Active alarms:</span>
          {active.map((a) => (
            <a
              key={a.id}
              href={href('assistant', a.assetId, a.id)}
              className={alarmClass(a)}
              aria-current={a.id === target.alarmId ? 'page' : undefined}
            >
              {a.message}
            </a>
          ))}
        </nav>
      )}
      {error && <p className="banner banner-warning">{error}</p>}
      {!data && !error && (
        <p className="empty">{assetId ? 'Reading the history…' : 'No asset to explain.'}</p>
      )}
      {data && <ExplanationPanels e={data} />}
    </section>
  )
}

function ExplanationPanels({ e }: { e: Explanation }) {
  const b = e.buildup
  return (
    <div className="assistant-body">
      <div className="panel assistant-summary" data-testid="assistant-summary">
        <h2>
          {e.subject.title} <span className="muted">at {when(e.subject.at)}</span>
        </h2>
        {e.summary.map((s, i) => (
          <p key={i}>{s}</p>
        ))}
      </div>

      <div className="assistant-col">
        <div className="panel assistant-sensors" data-testid="assistant-contributors">
          <h2>Sensors, by their part in the finding</h2>
          <table className="grid">
            <thead>
              <tr>
                <th>Sensor</th>
                <th className="num">Now</th>
                <th className="num">Normal</th>
                <th>Deviation</th>
                <th className="num">Share of error</th>
                <th>Limit</th>
              </tr>
            </thead>
            <tbody>
              {e.contributors.map((c) => (
                <tr key={c.tag} className={contributorClass(c)} data-tag={c.tag}>
                  <td>{c.name}</td>
                  <td className="num">
                    {c.value === null ? '—' : formatValue(c.value)} <span className="muted">{c.unit}</span>
                  </td>
                  <td className="num">
                    {c.normalMean === null
                      ? '—'
                      : `${formatValue(c.normalMean)} ± ${formatValue(c.normalStd ?? NaN)}`}
                  </td>
                  <td>
                    <span className="dev">
                      <span className="dev-bar" style={{ width: `${deviationWidth(c.z)}%` }} />
                    </span>{' '}
                    <span className="num">{sigma(c.z)}</span>
                  </td>
                  <td className="num">
                    {percent(c.share)}
                    {c.normalShare !== null && (
                      <span className="muted"> (normally {percent(c.normalShare)})</span>
                    )}
                  </td>
                  <td>{c.limit ? `${c.limit.name} ${formatValue(c.limit.value)}` : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>

        <div className="panel assistant-causes" data-testid="assistant-causes">
          <h2>
            Likely causes and checks{' '}
            {e.checklist && <span className="muted">(checklist for the {e.assetClass} class)</span>}
          </h2>
          {e.causes.length === 0 && <p className="muted">No checklist for the “{e.assetClass}” class.</p>}
          <ol>
            {e.causes.map((c) => (
              <Cause key={c.id} c={c} />
            ))}
          </ol>
        </div>
      </div>
      <div className="assistant-col">
        <div className="panel" data-testid="assistant-buildup">
          <h2>How long it has been building</h2>
          <table className="kv">
            <tbody>
              <tr>
                <th scope="row">Score above its normal band since</th>
                <td>{when(b.risingSince)}</td>
              </tr>
              <tr>
                <th scope="row">Model says ANOMALY since</th>
                <td>{when(b.anomalousSince)}</td>
              </tr>
              <tr>
                <th scope="row">Score / threshold</th>
                <td className="num">
                  {formatScore(b.score ?? NaN)} / {formatScore(b.threshold ?? NaN)}
                </td>
              </tr>
              <tr>
                <th scope="row">Normal band (robust, before the rise)</th>
                <td className="num">{formatScore(b.normalBand ?? NaN)}</td>
              </tr>
              <tr>
                <th scope="row">Trend</th>
                <td>{b.trend ?? '—'}</td>
              </tr>
            </tbody>
          </table>
        </div>

        <div className="panel" data-testid="assistant-similar">
          <h2>Similar past events</h2>
          {e.similar.length === 0 ? (
            <p className="muted">None in this asset’s stored history with the same sensors.</p>
          ) : (
            <table className="grid">
              <thead>
                <tr>
                  <th>When</th>
                  <th>What</th>
                  <th>Event</th>
                  <th>Shared sensors</th>
                  <th>Notes</th>
                </tr>
              </thead>
              <tbody>
                {e.similar.map((s, i) => (
                  <tr key={`${s.kind}-${s.at}-${i}`}>
                    <td className="num">{when(s.at)}</td>
                    <td>{KIND_WORDS[s.kind]}</td>
                    <td>{s.title}</td>
                    <td>{s.tags.join(', ')}</td>
                    <td>{s.notes ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </div>
    </div>
  )
}

/** One cause: the signs seen and not seen, and its checks as a list a person ticks off (kept on this screen only). */
function Cause({ c }: { c: LikelyCause }) {
  return (
    <li className="cause" data-cause={c.id}>
      <div className="cause-head">
        <b>{c.cause}</b>
        {c.matched.length > 0 && <span className="num">{Math.round(c.match * 100)} % of its signs</span>}
      </div>
      {c.matched.length > 0 && (
        <p className="muted">
          Seen: {c.matched.join(', ')}
          {c.missing.length > 0 && <> · not seen: {c.missing.join(', ')}</>}
        </p>
      )}
      <ul className="checks">
        {c.checks.map((k) => (
          <li key={k}>
            <label>
              <input type="checkbox" /> {k}
            </label>
          </li>
        ))}
      </ul>
    </li>
  )
}
