import type { Health } from '../../../shared/contract.ts'
import { formatDateTime } from '../../charts/time-text.ts'
import { formatTime } from '../../state/format.ts'
import { formatRate, type Rates } from './health-rates.ts'

const stateClass = (state: string) =>
  state === 'running' ? '' : state === 'failed' ? 'cell-critical' : state === 'stopped' ? '' : 'cell-warning'

/**
 * Each source's state with its rate and newest sample: a network source reports both itself;
 * for the others the rate comes from the engine's per-asset counts between two readings.
 */
export function SourcesTable({ h, rates }: { h: Health; rates: Rates | null }) {
  const flow = new Map((h.assets ?? []).map((a) => [a.assetId, a]))
  const ids = [...new Set([...h.sources.map((s) => s.assetId), ...flow.keys()])]
  return (
    <table className="grid" data-testid="sources">
      <thead>
        <tr>
          <th>Asset</th>
          <th>Kind</th>
          <th>State</th>
          <th className="num">Samples/s</th>
          <th className="num">Newest sample</th>
          <th className="num">State since</th>
        </tr>
      </thead>
      <tbody>
        {ids.map((id) => {
          const s = h.sources.find((x) => x.assetId === id)
          const f = flow.get(id)
          const rate = s?.samplesPerS ?? rates?.perAsset[id]
          const last = s?.lastSampleAt ?? f?.lastSampleAt ?? null
          return (
            <tr key={id} data-asset={id}>
              <td>{id}</td>
              <td>{s?.kind ?? '—'}</td>
              <td className={s ? stateClass(s.state) : ''}>
                {s ? s.state : 'no status'}
                {s?.message ? `: ${s.message}` : ''}
              </td>
              <td className="num" data-testid="source-rate">
                {formatRate(rate)}
              </td>
              <td className="num">{last === null ? '—' : formatDateTime(last)}</td>
              <td className="num">{s ? formatTime(s.at) : '—'}</td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}
