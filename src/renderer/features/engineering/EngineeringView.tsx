import { useCallback, useEffect, useState } from 'react'
import type { EngineerFigures } from '../../../shared/kpi-channels.ts'
import type { ThresholdProposal } from '../../../shared/threshold-channels.ts'
import { call, errorText } from '../../api/index.ts'
import { href } from '../../shell/router.ts'
import type { ViewProps } from '../../shell/view.ts'
import { can, useAuth } from '../../state/auth-store.ts'
import { CalibrateThresholds } from './CalibrateThresholds.tsx'
import { formatTime, formatValue } from '../../state/format.ts'
import '../health/health.css'

const STATE_CLASS: Record<string, string> = {
  CRITICAL: 'cell-critical',
  ANOMALOUS: 'cell-warning',
  BAD_DATA: 'cell-low',
}

/** A proposal the engineer can review and accept (or go back to the card's threshold). */
function ThresholdRow({
  p,
  mayAccept,
  onDone,
}: {
  p: ThresholdProposal
  mayAccept: boolean
  onDone: () => void
}) {
  const [error, setError] = useState<string | null>(null)
  const send = (req: { threshold: number } | { revert: true }) =>
    call('models.acceptThreshold', { assetId: p.assetId, modelId: p.modelId, ...req })
      .then(() => (setError(null), onDone()))
      .catch((e: unknown) => setError(errorText(e)))
  return (
    <tr data-testid={`threshold-${p.assetId}-${p.modelId}`}>
      <th>
        {p.assetId} · {p.modelId}
      </th>
      <td className="num">
        {p.current.toPrecision(4)}
        {p.accepted && (
          <span className="muted">
            {' '}
            (accepted by {p.accepted.by}; card {p.cardThreshold.toPrecision(4)})
          </span>
        )}
      </td>
      <td className="num">
        {p.truePositives} true / {p.falsePositives} false
      </td>
      <td className="num">{p.proposed === null ? '—' : p.proposed.toPrecision(4)}</td>
      <td>
        {p.reason}
        {error && <span className="sign-in-error"> {error}</span>}
      </td>
      <td>
        {p.proposed !== null && (
          <button
            type="button"
            className="small"
            disabled={!mayAccept}
            onClick={() => void send({ threshold: p.proposed! })}
          >
            Accept {p.proposed.toPrecision(4)}
          </button>
        )}
        {p.accepted && (
          <button
            type="button"
            className="small"
            disabled={!mayAccept}
            onClick={() => void send({ revert: true })}
          >
            Back to card
          </button>
        )}
      </td>
    </tr>
  )
}

/** The engineer's landing view: per-sensor health, running anomaly counts, adaptive thresholds; the maintenance timeline is a click away. */
export function EngineeringView(_: ViewProps) {
  const p = useAuth((s) => s.principal)
  const [f, setF] = useState<EngineerFigures | null>(null)
  const [proposals, setProposals] = useState<ThresholdProposal[]>([])
  const [error, setError] = useState<string | null>(null)
  const load = useCallback(async () => {
    try {
      const [figures, t] = await Promise.all([call('kpi.engineer', {}), call('models.thresholds', {})])
      setF(figures)
      setProposals(t.proposals)
      setError(null)
    } catch (e) {
      setError(errorText(e))
    }
  }, [])
  useEffect(() => {
    void load()
    const timer = setInterval(() => void load(), 5000)
    return () => clearInterval(timer)
  }, [load])

  return (
    <section className="health engineering" data-testid="engineering-view">
      <h1>Sensor health</h1>
      {error && <p className="banner banner-warning">{error}</p>}
      <p className="muted">
        Counts run since Vigil started. Maintenance timeline: <a href={href('maintenance')}>Maintenance</a> (
        {f?.timeline.length ?? 0} events in 30 days
        {f?.timeline[0] ? `, newest ${formatTime(f.timeline[0].openedAt)}` : ''}).
      </p>
      <div className="health-columns">
        {f?.assets.map((a) => (
          <div key={a.assetId}>
            <h2>
              {a.assetId}{' '}
              <span className="sub">
                {a.anomalies} ANOMALY of {a.windows} windows
              </span>
            </h2>
            <table className="grid" data-testid={`sensor-health-${a.assetId}`}>
              <thead>
                <tr>
                  <th>Sensor</th>
                  <th className="num">Value</th>
                  <th>Quality</th>
                  <th>State</th>
                  <th className="num">Anomalous windows</th>
                  <th className="num">Critical windows</th>
                </tr>
              </thead>
              <tbody>
                {a.sensors.map((s) => (
                  <tr key={s.tag}>
                    <th>{s.tag}</th>
                    <td className="num">{s.value === null ? '—' : formatValue(s.value)}</td>
                    <td className={s.quality === 'good' ? '' : 'cell-low'}>{s.quality}</td>
                    <td className={STATE_CLASS[s.state] ?? ''}>
                      {s.state === 'NO_SCORE' ? 'not scored' : s.state}
                    </td>
                    <td className="num">{s.anomalousWindows}</td>
                    <td className="num">{s.criticalWindows}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      </div>
      <h2>Adaptive thresholds from operator verdicts</h2>
      <p className="muted">{proposals[0]?.rule}</p>
      <table className="grid" data-testid="thresholds">
        <thead>
          <tr>
            <th>Asset · model</th>
            <th className="num">Threshold in force</th>
            <th className="num">Verdicts</th>
            <th className="num">Proposed</th>
            <th>Why</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {proposals.map((x) => (
            <ThresholdRow
              key={`${x.assetId}/${x.modelId}`}
              p={x}
              mayAccept={can(p, 'configure')}
              onDone={() => void load()}
            />
          ))}
        </tbody>
      </table>
      <CalibrateThresholds pairs={proposals} mayApply={can(p, 'configure')} onDone={() => void load()} />
    </section>
  )
}
