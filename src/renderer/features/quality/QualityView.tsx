import { useEffect, useState } from 'react'
import type { AssetView } from '../../../shared/contract.ts'
import type { ModelCard } from '../../../shared/model-card.ts'
import { call, errorText } from '../../api/index.ts'
import { PredictionTrend } from '../../charts/PredictionTrend.tsx'
import type { ViewProps } from '../../shell/view.ts'
import { formatTime } from '../../state/format.ts'
import { usePredictions } from '../../state/prediction-store.ts'
import { useSession } from '../../state/use-live.ts'
import '../health/health.css'
import { castSummary } from './defect-figures.ts'
import { ModelComparison } from './ModelComparison.tsx'
import './quality.css'

/** Casts and their defect risk per asset a defect model judges; the models compared on their test casts. */
export function QualityView(_: ViewProps) {
  const plant = useSession((s) => s.plant)
  // A model fitted or dropped in while the view is open joins the list.
  const modelsRevision = useSession((s) => s.modelsRevision)
  const [cards, setCards] = useState<ModelCard[]>([])
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    call('models.list', {})
      .then((r) => setCards(r.models))
      .catch((e: unknown) => setError(errorText(e)))
  }, [modelsRevision])
  if (!plant) return <p className="empty">Loading the plant…</p>
  const judged = plant.assets.filter((a) => a.models.some((m) => m.kind === 'defect'))
  return (
    <section className="health quality" data-testid="quality-view">
      <h1>Quality</h1>
      {error && <p className="banner banner-warning">{error}</p>}
      {judged.length === 0 && <p className="empty">No asset in this plant has a defect model.</p>}
      {judged.map((a) => (
        <AssetQuality key={a.id} asset={a} cards={cards} />
      ))}
    </section>
  )
}

const CASTS_SHOWN = 14

function AssetQuality({ asset, cards }: { asset: AssetView; cards: ModelCard[] }) {
  const model = asset.models.find((m) => m.kind === 'defect')!
  const card = cards.find((c) => c.id === model.id)
  const series = usePredictions(asset.id, model.id)
  const points = series?.points ?? []
  const { newestFirst, flaggedShare } = castSummary(points)
  const latest = newestFirst[0]
  const threshold = series?.threshold ?? model.threshold
  const members = Object.keys(latest?.members ?? {})
  return (
    <div className="quality-asset">
      <div className="quality-col">
        <div className="figures">
          <div className="figure" data-state={latest?.flagged ? 'warn' : undefined} data-testid="latest-cast">
            <span className="sub">
              {asset.id} latest cast {latest?.unit ?? ''}
            </span>
            <b>{latest ? `P(defect) ${latest.value.toFixed(2)}` : '—'}</b>
            <span className="sub">
              {latest
                ? `${latest.flagged ? 'over' : 'under'} the ${threshold} threshold, confidence ${(latest.confidence ?? NaN).toFixed(2)}`
                : 'no cast finished yet'}
            </span>
          </div>
          <div className="figure">
            <span className="sub">Casts judged, last day</span>
            <b>{newestFirst.length}</b>
            <span className="sub">
              {flaggedShare === null
                ? ''
                : `${(100 * flaggedShare).toFixed(1)} % flagged as likely defective`}
            </span>
          </div>
        </div>
        <div className="panel">
          <h2>
            Casts <span className="muted">{model.id}, newest first</span>
          </h2>
          <table className="grid" data-testid="casts">
            <thead>
              <tr>
                <th className="num">Cast</th>
                <th>Ended (data time)</th>
                <th className="num">P(defect)</th>
                {members.map((m) => (
                  <th key={m} className="num">
                    {m}
                  </th>
                ))}
                <th className="num">Confidence</th>
                <th>Verdict</th>
              </tr>
            </thead>
            <tbody>
              {newestFirst.slice(0, CASTS_SHOWN).map((p) => (
                <tr key={p.t} data-flagged={p.flagged || undefined}>
                  <td className="num">{p.unit}</td>
                  <td>{formatTime(p.t)}</td>
                  <td className={`num ${p.flagged ? 'cell-warning' : ''}`}>{p.value.toFixed(3)}</td>
                  {members.map((m) => (
                    <td key={m} className="num muted">
                      {(p.members?.[m] ?? NaN).toFixed(3)}
                    </td>
                  ))}
                  <td className="num">{(p.confidence ?? NaN).toFixed(2)}</td>
                  <td>{p.flagged ? 'likely defective: inspect' : 'sound'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {newestFirst.length === 0 && (
            <p className="empty">No cast has finished since the engine started.</p>
          )}
        </div>
        <div className="panel">
          <h2>History of cast predictions</h2>
          <PredictionTrend
            testId="cast-history"
            mode="dots"
            label="P(defect) per cast"
            threshold={threshold}
            yMin={0}
            yMax={1}
            points={points.map((p) => ({ t: p.t, y: p.value, flagged: p.flagged }))}
          />
        </div>
      </div>
      <div className="quality-col">
        {card ? <ModelComparison card={card} /> : <p className="empty">Reading the model card…</p>}
      </div>
    </div>
  )
}
