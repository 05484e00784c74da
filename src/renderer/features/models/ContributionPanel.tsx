import { useState } from 'react'
import type { ContributionSummary } from '../../../shared/model-channels.ts'
import { call, errorText } from '../../api/index.ts'
import { formatDateTime } from '../../charts/time-text.ts'
import { RangeFields, type AssetRange, type StoredSpan } from './RangeFields.tsx'

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)} %`)

function Share({ v }: { v: number | null }) {
  return (
    <div className="contrib" aria-hidden>
      <div className="contrib-fill" style={{ width: `${Math.min(100, (v ?? 0) * 100).toFixed(1)}%` }} />
      <span>{pct(v)}</span>
    </div>
  )
}

function Summary({ s, tagNames }: { s: ContributionSummary; tagNames: Map<string, string> }) {
  const anomalous = s.anomalous > 0
  // Sorted by the share they carry when it mattered: the sensors to look at come first.
  const rows = [...s.perTag].sort((a, b) =>
    anomalous
      ? (b.anomalousShare ?? 0) - (a.anomalousShare ?? 0)
      : (b.normalShare ?? 0) - (a.normalShare ?? 0),
  )
  return (
    <div className="contrib-summary" data-testid={`contrib-${s.modelId}`}>
      <h3>
        {s.modelId} <span className="muted">v{s.versions.join(', v')}</span>
      </h3>
      <p>
        {s.windows.toLocaleString()} windows, <b>{s.anomalous.toLocaleString()} ANOMALY</b>
        {s.windows > 0 && ` (${((s.anomalous / s.windows) * 100).toFixed(1)} %)`}
        {s.from !== null && s.to !== null && (
          <span className="muted">
            {' '}
            from {formatDateTime(s.from)} to {formatDateTime(s.to)}
          </span>
        )}
        {s.truncated && <span className="muted"> · cut short: narrow the range to read it all</span>}
      </p>
      {!anomalous && (
        <p className="muted">No anomalous windows in this range: the shares of normal running are shown.</p>
      )}
      <table className="grid contrib-table">
        <thead>
          <tr>
            <th>Sensor</th>
            <th>Share in ANOMALY windows</th>
            <th>Share in normal</th>
            <th className="num">Largest in</th>
            <th className="num">Flagged in</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.tag} data-tag={r.tag}>
              <td>
                {tagNames.get(r.tag) ?? r.tag}
                {tagNames.has(r.tag) && <span className="muted tag-id"> {r.tag}</span>}
              </td>
              <td>
                <Share v={r.anomalousShare} />
              </td>
              <td>
                <Share v={r.normalShare} />
              </td>
              <td className="num">{r.top.toLocaleString()}</td>
              <td className="num">{r.flagged.toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** Per-sensor anomaly distribution: which sensors carry a model's error over a stored range. */
export function ContributionPanel({
  stored,
  tagNames,
}: {
  stored: StoredSpan[]
  tagNames: Map<string, string>
}) {
  const [range, setRange] = useState<AssetRange | null>(null)
  const [result, setResult] = useState<ContributionSummary[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const read = async () => {
    if (!range) return
    setBusy(true)
    try {
      setResult((await call('models.contributions', range)).models)
      setError(null)
    } catch (e) {
      setError(errorText(e))
    } finally {
      setBusy(false)
    }
  }
  return (
    <section className="panel contrib-panel" data-testid="contributions">
      <h2>Which sensors carry the error</h2>
      <p className="muted">
        Each window’s error is split among its sensors; the shares are averaged over the range’s ANOMALY
        windows.
      </p>
      <RangeFields stored={stored} idPrefix="contrib" onChange={setRange} />
      <button type="button" disabled={!range || busy} onClick={() => void read()}>
        {busy ? 'Reading…' : 'Show distribution'}
      </button>
      {error && <p className="form-error">{error}</p>}
      {result?.length === 0 && <p className="muted">No model scored this asset in the range.</p>}
      {result?.map((s) => (
        <Summary key={s.modelId} s={s} tagNames={tagNames} />
      ))}
    </section>
  )
}
