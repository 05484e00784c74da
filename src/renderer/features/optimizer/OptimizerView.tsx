import { useCallback, useEffect, useState } from 'react'
import type { AssetView } from '../../../shared/contract.ts'
import type { AdviceDecision } from '../../../shared/optimizer-channels.ts'
import { call, errorText } from '../../api/index.ts'
import type { ViewProps } from '../../shell/view.ts'
import { formatTime } from '../../state/format.ts'
import { usePredictions } from '../../state/prediction-store.ts'
import { useLiveAsset, useSession } from '../../state/use-live.ts'
import '../health/health.css'
import { adviceSummary, decisionFor, latestAdvice, nowFacts, recentAdvice } from './advice-view.ts'
import './optimizer.css'
import { SuggestionPanel } from './SuggestionPanel.tsx'

/** Every asset a policy model advises: its newest suggestion and what became of the recent ones. */
export function OptimizerView(_: ViewProps) {
  const plant = useSession((s) => s.plant)
  const advised = plant?.assets.filter((a) => a.models.some((m) => m.kind === 'policy')) ?? []
  const [decisions, setDecisions] = useState<AdviceDecision[]>([])
  const [error, setError] = useState<string | null>(null)
  const load = useCallback(
    () =>
      call('optimizer.decisions', {})
        .then((r) => (setDecisions(r.decisions), setError(null)))
        .catch((e: unknown) => setError(errorText(e))),
    [],
  )
  useEffect(() => {
    void load()
  }, [load])

  if (!plant) return <p className="empty">Loading the plant…</p>
  return (
    <section className="health optimizer" data-testid="optimizer-view">
      <h1>Optimizer</h1>
      <p className="muted lead">
        Setpoint suggestions only: Vigil never writes to the plant. Accept records that you will make the move
        on the plant's control system; dismiss records that nobody will. Both go to the audit trail.
      </p>
      {error && <p className="banner banner-warning">{error}</p>}
      {advised.length === 0 && <p className="empty">No asset in this plant has a setpoint policy model.</p>}
      {advised.map((a) => (
        <AssetAdvice key={a.id} asset={a} decisions={decisions} decided={load} />
      ))}
    </section>
  )
}

function AssetAdvice({
  asset,
  decisions,
  decided,
}: {
  asset: AssetView
  decisions: AdviceDecision[]
  decided(): void
}) {
  const model = asset.models.find((m) => m.kind === 'policy')!
  const series = usePredictions(asset.id, model.id)
  const points = series?.points ?? []
  const latest = latestAdvice(points)
  const recent = recentAdvice(points, 12)
  const live = useLiveAsset(asset.id, 1000)
  const now = live ? nowFacts(asset.tags, live.tags, (k) => live.samples.latest(k)) : []
  return (
    <>
      {now.length > 0 && (
        <p className="optimizer-now" data-testid="operating-point">
          <span className="muted">{asset.id} now:</span>{' '}
          {now.map((f) => (
            <span key={f.label} className="head-fact">
              {f.label} <b className="num">{f.text}</b>
            </span>
          ))}
        </p>
      )}
      <div className="optimizer-asset">
        <div className="optimizer-main">
          {latest ? (
            <SuggestionPanel advice={latest} tags={asset.tags} decisions={decisions} decided={decided} />
          ) : (
            <div className="panel">
              <h2>{asset.id}</h2>
              <p className="empty">
                {series?.error ?? `No advice yet: ${model.id} advises every few minutes of data.`}
              </p>
            </div>
          )}
        </div>
        <div className="panel optimizer-recent">
          <h2>Recent advice</h2>
          <table className="grid" data-testid="recent-advice">
            <thead>
              <tr>
                <th>Data time</th>
                <th>Advice</th>
                <th className="num">Step saves</th>
                <th>Decision</th>
              </tr>
            </thead>
            <tbody>
              {recent.map((r) => {
                const d = decisionFor(decisions, r)
                const s = r.suggestion
                return (
                  <tr key={r.at}>
                    <td>{formatTime(r.at)}</td>
                    <td className="advice-text">
                      {adviceSummary(r, (id) => asset.tags.find((t) => t.id === id)?.name ?? id)}
                    </td>
                    <td className="num">{s ? `${s.gain.powerKw.toFixed(0)} kW` : '—'}</td>
                    <td>
                      {d
                        ? `${d.decision === 'accept' ? 'accepted' : 'dismissed'} by ${d.actor}`
                        : s
                          ? 'open'
                          : ''}
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      </div>
    </>
  )
}
