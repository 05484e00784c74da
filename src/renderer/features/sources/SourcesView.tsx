import { useEffect, useState } from 'react'
import type { SourceStatus } from '../../../shared/samples.ts'
import { call, errorText } from '../../api/index.ts'
import type { ViewProps } from '../../shell/view.ts'
import { OpcuaBrowser } from './OpcuaBrowser.tsx'
import { SetpointPanel } from './SetpointPanel.tsx'
import { sourceRows } from './source-rows.ts'

/** Polls the sources in system.health: rates and ages are slow numbers, a poll every two seconds is enough. */
function useSources(): { sources: SourceStatus[] | null; error: string | null } {
  const [sources, setSources] = useState<SourceStatus[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    let alive = true
    let timer: ReturnType<typeof setTimeout> | undefined
    const poll = async () => {
      try {
        const h = await call('system.health', {})
        if (!alive) return
        setSources(h.sources)
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
  return { sources, error }
}

/** Every data source: its state (and why), samples per second, its newest sample, its last error. */
export function SourcesView(_: ViewProps) {
  const { sources, error } = useSources()
  if (!sources) return <p className="empty">{error ?? 'Reading the sources…'}</p>
  const rows = sourceRows(sources, Date.now())
  return (
    <section className="sources" data-testid="sources-view">
      <h1>Sources</h1>
      {error && <p className="banner banner-warning">{error}</p>}
      <table className="grid">
        <thead>
          <tr>
            <th>Asset</th>
            <th>Kind</th>
            <th>State</th>
            <th>Samples/s</th>
            <th>Newest sample</th>
            <th>Last error</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-testid={`source-${r.assetId}`}>
              <td>{r.assetId}</td>
              <td>{r.kind}</td>
              <td className={r.tone} data-testid="source-state">
                {r.state}
                {r.message ? `: ${r.message}` : ''}
              </td>
              <td className="num" data-testid="source-rate">
                {r.rate}
              </td>
              <td className="num">{r.lastSample}</td>
              <td className="muted">{r.lastError}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <SetpointPanel assetIds={rows.map((r) => r.assetId)} />
      <OpcuaBrowser />
    </section>
  )
}
