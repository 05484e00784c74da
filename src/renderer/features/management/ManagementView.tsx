import { useState } from 'react'
import { usePolled } from '../../api/use-polled.ts'
import type { ViewProps } from '../../shell/view.ts'
import { formatTime } from '../../state/format.ts'
import '../health/health.css'
import { formatCost } from '../maintenance/timeline.ts'

/** Management's landing view: financial risk (P(failure) x cost, per asset and total), events avoided, spend. */
export function ManagementView(_: ViewProps) {
  const [days, setDays] = useState(30)
  const { data: f, error } = usePolled('kpi.management', { days }, String(days))
  const money = (x: number) => formatCost(x, f?.currency ?? 'INR')

  return (
    <section className="health management" data-testid="management-view">
      <h1>Financial risk</h1>
      <div className="panel">
        Period: last{' '}
        <select aria-label="Days" value={days} onChange={(e) => setDays(Number(e.target.value))}>
          {[7, 30, 90, 365].map((d) => (
            <option key={d} value={d}>
              {d} days
            </option>
          ))}
        </select>{' '}
        {f && <span className="muted">to {formatTime(f.to)}</span>}
      </div>
      {error && <p className="banner banner-warning">{error}</p>}
      {f && (
        <>
          <div className="figures">
            <div
              className="figure"
              data-state={f.totalRisk > 0 ? 'warn' : undefined}
              data-testid="total-risk"
            >
              <span className="sub">Financial risk now</span>
              <b>{money(f.totalRisk)}</b>
              <span className="sub">sum over assets of P(failure) × cost of open events</span>
            </div>
            <div className="figure" data-testid="avoided">
              <span className="sub">Cost of events avoided</span>
              <b>{money(f.avoided.criticalCost)}</b>
              <span className="sub">
                {f.avoided.events} caught and resolved before the critical limit; net of their cost{' '}
                {money(f.avoided.net)}
              </span>
            </div>
            <div className="figure" data-testid="spend">
              <span className="sub">Maintenance spend (estimated)</span>
              <b>{money(f.spend.resolved)}</b>
              <span className="sub">
                {f.spend.resolvedEvents} events resolved; {money(f.spend.open)} on {f.spend.openEvents} still
                open
              </span>
            </div>
          </div>
          <h2>Risk per asset</h2>
          <table className="grid" data-testid="risk">
            <thead>
              <tr>
                <th>Asset</th>
                <th className="num">P(failure)</th>
                <th>Where the probability comes from</th>
                <th className="num">Cost of open events</th>
                <th className="num">Risk</th>
              </tr>
            </thead>
            <tbody>
              {f.risk.map((r) => (
                <tr key={r.assetId}>
                  <th>{r.assetId}</th>
                  <td className="num">{r.openEvents ? r.probability.toFixed(2) : '—'}</td>
                  <td className="muted">{r.probabilitySource}</td>
                  <td className="num">{money(r.cost)}</td>
                  <td className={`num ${r.risk > 0 ? 'cell-warning' : ''}`}>{money(r.risk)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  )
}
