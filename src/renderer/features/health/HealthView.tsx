import { useEffect, useState } from 'react'
import type { Health } from '../../../shared/contract.ts'
import { call, errorText } from '../../api/index.ts'
import type { ViewProps } from '../../shell/view.ts'
import { formatBytes, formatDuration, formatTime } from '../../state/format.ts'

/** Polls system.health: a slow number, not a stream, so a poll every two seconds is enough. */
function useHealth(): { health: Health | null; error: string | null } {
  const [health, setHealth] = useState<Health | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    let alive = true
    let timer: ReturnType<typeof setTimeout> | undefined
    const poll = async () => {
      try {
        const h = await call('system.health', {})
        if (!alive) return
        setHealth(h)
        setError(null)
      } catch (e) {
        if (alive) setError(errorText(e))
      }
      if (alive) timer = setTimeout(poll, 2000)
    }
    void poll()
    return () => {
      alive = false
      clearTimeout(timer)
    }
  }, [])
  return { health, error }
}

const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(v < 10 ? 2 : 1)} ms` : '—')

export function HealthView(_: ViewProps) {
  const { health: h, error } = useHealth()
  if (!h) return <p className="empty">{error ?? 'Reading system health…'}</p>
  const up = (Date.now() - h.startedAt) / 1000
  const rows: [string, string][] = [
    ['Engine up for', formatDuration(up)],
    ['Samples in', h.samplesIn.toLocaleString()],
    ['Windows scored', h.windowsScored.toLocaleString()],
    ['Samples stored', h.samplesStored.toLocaleString()],
    ['Dropped', h.dropped.toLocaleString()],
    ['Pipeline latency p50', ms(h.pipelineLatencyMs.p50)],
    ['Pipeline latency p95', ms(h.pipelineLatencyMs.p95)],
    ['Pipeline latency p99', ms(h.pipelineLatencyMs.p99)],
    ['History database', formatBytes(h.dbBytes)],
    ['Connected clients', String(h.clients)],
  ]
  return (
    <section className="health" data-testid="health-view">
      <h1>System health</h1>
      {error && <p className="banner banner-warning">{error}</p>}
      <div className="health-grid">
        <table className="kv">
          <tbody>
            {rows.map(([k, v]) => (
              <tr key={k}>
                <th scope="row">{k}</th>
                <td className={k === 'Dropped' && h.dropped > 0 ? 'num cell-warning' : 'num'}>{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div>
          <h2>Sources</h2>
          <table className="grid">
            <thead>
              <tr>
                <th>Asset</th>
                <th>Kind</th>
                <th>State</th>
                <th>Since</th>
              </tr>
            </thead>
            <tbody>
              {h.sources.map((s) => (
                <tr key={`${s.assetId}/${s.kind}`}>
                  <td>{s.assetId}</td>
                  <td>{s.kind}</td>
                  <td
                    className={
                      s.state === 'running' ? '' : s.state === 'failed' ? 'cell-critical' : 'cell-warning'
                    }
                  >
                    {s.state}
                    {s.message ? `: ${s.message}` : ''}
                  </td>
                  <td className="num">{formatTime(s.at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Models</h2>
          <ul className="plain">
            {h.models.map((m) => (
              <li key={m.id}>
                {m.id} <span className="muted">v{m.version}</span>
              </li>
            ))}
            {h.modelErrors.map((m) => (
              <li key={m.folder} className="cell-critical">
                {m.folder}: {m.message}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  )
}
