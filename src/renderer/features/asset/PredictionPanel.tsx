import type { AssetView } from '../../../shared/contract.ts'
import { PredictionTrend } from '../../charts/PredictionTrend.tsx'
import { href } from '../../shell/router.ts'
import { formatTime } from '../../state/format.ts'
import { rulUnit, useModelCard } from '../../state/model-cards.ts'
import { usePredictions } from '../../state/prediction-store.ts'

/*
 * What an asset's predictors say, beside its live trends: the remaining life with its
 * uncertainty and trend, the current setpoint suggestion, the defect risk of the latest casts.
 * Each part shows only for an asset with a model of that kind.
 */

const modelOf = (asset: AssetView, kind: string) => asset.models.find((m) => m.kind === kind)?.id

export function PredictionPanel({ asset }: { asset: AssetView }) {
  const rul = modelOf(asset, 'rul')
  const policy = modelOf(asset, 'policy')
  const defect = modelOf(asset, 'defect')
  if (!rul && !policy && !defect) return null
  return (
    <div className="prediction-panel">
      {rul && <RulPart assetId={asset.id} modelId={rul} />}
      {policy && <SuggestionPart assetId={asset.id} modelId={policy} />}
      {defect && <DefectPart assetId={asset.id} modelId={defect} />}
    </div>
  )
}

function RulPart({ assetId, modelId }: { assetId: string; modelId: string }) {
  const s = usePredictions(assetId, modelId)
  const points = (s?.points ?? []).filter((p) => Number.isFinite(p.value))
  const last = points.at(-1)
  const unit = rulUnit(useModelCard(modelId))
  return (
    <div className="panel" data-testid="rul-panel">
      <h2>
        Remaining useful life <span className="muted">{modelId}</span>
      </h2>
      {last ? (
        <p className="rul-now">
          <b className={`num ${last.flagged ? 'cell-warning' : ''}`} data-testid="rul-value">
            {last.value.toFixed(0)} {unit}
          </b>{' '}
          ± {(last.spread ?? NaN).toFixed(0)} {unit}{' '}
          <span className="muted">
            ({unit === 'h' && last.value >= 48 ? `about ${Math.floor(last.value / 24)} days; ` : ''}band{' '}
            {(last.value - (last.spread ?? 0)).toFixed(0)}–{(last.value + (last.spread ?? 0)).toFixed(0)}{' '}
            {unit}; horizon {s!.threshold} {unit}; at {formatTime(last.t)})
          </span>
        </p>
      ) : (
        <p className="empty">
          {s?.error ?? 'No prediction yet: the first comes once a full window has arrived.'}
        </p>
      )}
      <PredictionTrend
        testId="rul-trend"
        mode="line"
        label={`RUL (${unit}) ± spread`}
        threshold={s?.threshold ?? NaN}
        yMin={0}
        height={150}
        points={points.map((p) => ({
          t: p.t,
          y: p.value,
          lo: p.value - (p.spread ?? 0),
          hi: p.value + (p.spread ?? 0),
          flagged: p.flagged,
        }))}
      />
    </div>
  )
}

function SuggestionPart({ assetId, modelId }: { assetId: string; modelId: string }) {
  const s = usePredictions(assetId, modelId)
  const advice = [...(s?.points ?? [])].reverse().find((p) => p.advice)?.advice
  return (
    <div className="panel" data-testid="asset-suggestion">
      <h2>
        Setpoint suggestion <span className="muted">{modelId}</span>
      </h2>
      {!advice && <p className="empty">No advice yet.</p>}
      {advice && (
        <p>
          {advice.suggestion ? (
            <>
              <b>{advice.suggestion.gain.powerKw.toFixed(0)} kW</b> less at the same flow.{' '}
            </>
          ) : null}
          <span className={advice.suggestion ? '' : 'muted'}>{advice.why}</span>{' '}
          <a href={href('optimizer')}>Open the Optimizer</a>
        </p>
      )}
    </div>
  )
}

function DefectPart({ assetId, modelId }: { assetId: string; modelId: string }) {
  const s = usePredictions(assetId, modelId)
  const casts = [...(s?.points ?? [])].reverse().slice(0, 6)
  return (
    <div className="panel" data-testid="asset-defects">
      <h2>
        Defect risk of the latest casts <span className="muted">{modelId}</span>
      </h2>
      {casts.length === 0 && <p className="empty">No cast has finished yet.</p>}
      {casts.length > 0 && (
        <table className="grid">
          <thead>
            <tr>
              <th className="num">Cast</th>
              <th>Ended</th>
              <th className="num">P(defect)</th>
              <th className="num">Confidence</th>
            </tr>
          </thead>
          <tbody>
            {casts.map((p) => (
              <tr key={p.t}>
                <td className="num">{p.unit}</td>
                <td>{formatTime(p.t)}</td>
                <td className={`num ${p.flagged ? 'cell-warning' : ''}`}>{p.value.toFixed(3)}</td>
                <td className="num">{(p.confidence ?? NaN).toFixed(2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <a href={href('quality')}>Open Quality</a>
    </div>
  )
}
