import type { HistoryStats, StoreStatus } from '../../../shared/contract.ts'
import { formatDateTime } from '../../charts/time-text.ts'
import { formatBytes, formatDuration } from '../../state/format.ts'

const when = (t: number | null) => (t === null ? '—' : formatDateTime(t))

/** The history store: whether it commits, and what the file holds. */
export function StorePanel({ status, stats }: { status?: StoreStatus; stats: HistoryStats | null }) {
  const s = stats?.status ?? status
  const down = s?.state === 'unavailable'
  const r = stats?.retention
  const policy = r
    ? [
        r.rawDays !== undefined && `raw ${r.rawDays} d`,
        r.rollupDays !== undefined && `rollups ${r.rollupDays} d`,
        r.predictionDays !== undefined && `predictions ${r.predictionDays} d`,
      ].filter(Boolean)
    : []
  return (
    <section className="panel" data-testid="store-panel">
      <h2>History store</h2>
      <table className="kv">
        <tbody>
          <tr>
            <th scope="row">State</th>
            <td className={down ? 'cell-critical' : ''} data-testid="store-state">
              {s ? (down ? `unavailable: ${s.message ?? 'no reason given'}` : 'committing') : '—'}
              {s && <span className="sub"> since {formatDateTime(s.since)}</span>}
            </td>
          </tr>
          <tr>
            <th scope="row">Waiting to commit</th>
            <td className={s && s.backlog > 0 ? 'num cell-warning' : 'num'}>
              {s?.backlog.toLocaleString() ?? '—'}
            </td>
          </tr>
          <tr>
            <th scope="row">Dropped by the store</th>
            <td className={s && s.dropped > 0 ? 'num cell-warning' : 'num'}>
              {s?.dropped.toLocaleString() ?? '—'}
            </td>
          </tr>
          {stats && (
            <>
              <tr>
                <th scope="row">File</th>
                <td className="path">{stats.path}</td>
              </tr>
              <tr>
                <th scope="row">Size (+ write-ahead log)</th>
                <td className="num">
                  {formatBytes(stats.bytes)} <span className="sub">({formatBytes(stats.walBytes)} log)</span>
                  {stats.maxBytes !== null && (
                    <span className="sub"> of {formatBytes(stats.maxBytes)} allowed</span>
                  )}
                </td>
              </tr>
              <tr>
                <th scope="row">Pages free for reuse</th>
                <td className="num">
                  {stats.freePages.toLocaleString()} of {stats.pages.toLocaleString()}
                </td>
              </tr>
              <tr>
                <th scope="row">Samples / values</th>
                <td className="num">
                  {stats.samples.toLocaleString()} / {stats.values.toLocaleString()}
                </td>
              </tr>
              <tr>
                <th scope="row">Retention</th>
                <td>{policy.length ? policy.join(', ') : 'keeps everything'}</td>
              </tr>
            </>
          )}
        </tbody>
      </table>
      {stats && (
        <>
          <h3>Assets in the file</h3>
          <table className="grid">
            <thead>
              <tr>
                <th>Asset</th>
                <th className="num">From</th>
                <th className="num">To</th>
                <th className="num">Span</th>
                <th className="num">Samples</th>
              </tr>
            </thead>
            <tbody>
              {stats.assets.map((a) => (
                <tr key={a.assetId}>
                  <td>{a.assetId}</td>
                  <td className="num">{when(a.from)}</td>
                  <td className="num">{when(a.to)}</td>
                  <td className="num">
                    {a.from !== null && a.to !== null ? formatDuration((a.to - a.from) / 1000) : '—'}
                  </td>
                  <td className="num">{a.samples.toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Rows per table</h3>
          <table className="grid rows-table">
            <tbody>
              {Object.entries(stats.rows).map(([table, n]) => (
                <tr key={table}>
                  <td>{table}</td>
                  <td className="num">{n.toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  )
}
