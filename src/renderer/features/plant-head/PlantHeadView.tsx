import { useState } from 'react'
import { usePolled } from '../../api/use-polled.ts'
import type { ViewProps } from '../../shell/view.ts'
import { formatDuration, formatTime } from '../../state/format.ts'
import '../health/health.css'
import { formatCost } from '../maintenance/timeline.ts'

const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)} %`)
/** Below this an asset's availability is abnormal and gets colour. */
const AVAILABILITY_LOW = 0.95

/** The plant head's landing view: availability, anomalies per day, false-positive rate, RUL, open recommendations. */
export function PlantHeadView(_: ViewProps) {
  const [days, setDays] = useState(7)
  const { data: f, error } = usePolled('kpi.plantHead', { days }, String(days))
  const assets = f?.assets.map((a) => a.assetId) ?? []

  return (
    <section className="health plant-head" data-testid="plant-head-view">
      <h1>Operations</h1>
      <div className="panel">
        Period: last{' '}
        <select aria-label="Days" value={days} onChange={(e) => setDays(Number(e.target.value))}>
          {[1, 7, 30, 90].map((d) => (
            <option key={d} value={d}>
              {d} {d === 1 ? 'day' : 'days'}
            </option>
          ))}
        </select>{' '}
        {f && <span className="muted">to {formatTime(f.to)}</span>}
      </div>
      {error && <p className="banner banner-warning">{error}</p>}
      {f && (
        <>
          <div className="figures">
            <div className="figure" data-testid="fp-rate">
              <span className="sub">False-positive rate of model alarms</span>
              <b>{pct(f.falsePositiveRate)}</b>
              <span className="sub">
                {f.verdicts.falsePositive} false of {f.verdicts.truePositive + f.verdicts.falsePositive}{' '}
                operator verdicts
              </span>
            </div>
            <div className="figure" data-state={f.recommendations.length ? 'warn' : undefined}>
              <span className="sub">Open recommendations</span>
              <b>{f.recommendations.length}</b>
              <span className="sub">open maintenance events to act on</span>
            </div>
          </div>
          <h2>Assets</h2>
          <table className="grid" data-testid="availability">
            <thead>
              <tr>
                <th>Asset</th>
                <th className="num">Availability</th>
                <th className="num">Down (critical events)</th>
                <th>Remaining useful life</th>
              </tr>
            </thead>
            <tbody>
              {f.assets.map((a) => (
                <tr key={a.assetId}>
                  <th>{a.assetId}</th>
                  <td className={`num ${a.availability < AVAILABILITY_LOW ? 'cell-warning' : ''}`}>
                    {pct(a.availability)}
                  </td>
                  <td className="num">{formatDuration(a.downtimeMs / 1000)}</td>
                  <td className={a.rul.status === 'ok' ? '' : 'muted'}>
                    {a.rul.status === 'ok'
                      ? `${a.rul.value!.toFixed(0)} ${a.rul.unit}${a.rul.spread ? ` ± ${a.rul.spread.toFixed(0)}` : ''} (${a.rul.modelId})`
                      : a.rul.status}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Model anomaly alarms per day</h2>
          <table className="grid" data-testid="anomalies-per-day">
            <thead>
              <tr>
                <th>Day (UTC)</th>
                {assets.map((a) => (
                  <th key={a} className="num">
                    {a}
                  </th>
                ))}
                <th className="num">Total</th>
              </tr>
            </thead>
            <tbody>
              {f.anomaliesPerDay.map((d) => (
                <tr key={d.day}>
                  <th>{d.day}</th>
                  {assets.map((a) => (
                    <td key={a} className="num">
                      {d.byAsset[a] ?? 0}
                    </td>
                  ))}
                  <td className="num">{d.total}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Open recommendations</h2>
          {f.recommendations.length === 0 && <p className="empty">Nothing to act on.</p>}
          <ol className="plain" data-testid="recommendations">
            {f.recommendations.map((r) => (
              <li key={r.workOrder} className={`maint-event open sev-${r.severity}`}>
                <b>{r.severity}</b> {r.workOrder}: {r.action}{' '}
                <span className="muted">
                  (since {formatTime(r.openedAt)}, estimated {formatCost(r.cost, r.currency)})
                </span>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  )
}
