import type { AssetView } from '../../../shared/contract.ts'
import { Sparkline } from '../../charts/Sparkline.tsx'
import { href } from '../../shell/router.ts'
import { formatScore } from '../../state/format.ts'
import { rulUnit, useModelCard } from '../../state/model-cards.ts'
import { isDetector } from '../../state/model-kinds.ts'
import { usePredictions } from '../../state/prediction-store.ts'
import { useLiveAsset } from '../../state/use-live.ts'

/** Score as a bar where the threshold sits at two thirds, so over-threshold reads as past the mark. */
function ScoreBar({ score, threshold }: { score: number; threshold: number }) {
  const fill = Number.isFinite(score) && threshold > 0 ? Math.min(1, score / (threshold * 1.5)) : 0
  return (
    <div className="score-bar" aria-hidden>
      <div className="score-fill" style={{ width: `${(fill * 100).toFixed(1)}%` }} />
      <div className="score-mark" />
    </div>
  )
}

function largest(v: Float64Array): number {
  let best = -1
  for (let i = 0; i < v.length; i++) if (v[i]! > (v[best] ?? -Infinity)) best = i
  return best
}

/** The remaining life of an asset with a RUL model: value, spread, horizon; nothing for the others. */
function RulLine({ asset }: { asset: AssetView }) {
  const model = asset.models.find((m) => m.kind === 'rul')
  const s = usePredictions(asset.id, model?.id)
  const unit = rulUnit(useModelCard(model?.id))
  if (!model) return null
  const last = s?.points.filter((p) => Number.isFinite(p.value)).at(-1)
  return (
    <div className="tile-rul" data-testid="tile-rul">
      <span className="label">RUL</span>{' '}
      {last ? (
        <>
          <b className={`num ${last.flagged ? 'cell-warning' : ''}`}>
            {last.value.toFixed(0)} {unit}
          </b>
          {last.spread !== undefined && (
            <span className="num">
              {' '}
              ± {last.spread.toFixed(0)} {unit}
            </span>
          )}
          <span className="label">
            {' '}
            (horizon {s!.threshold} {unit})
          </span>
        </>
      ) : (
        <span className="label">no prediction yet</span>
      )}
    </div>
  )
}

/** The newest cast's defect risk of an asset with a defect model; nothing for the others. */
function DefectLine({ asset }: { asset: AssetView }) {
  const model = asset.models.find((m) => m.kind === 'defect')
  const s = usePredictions(asset.id, model?.id)
  if (!model) return null
  const last = s?.points.filter((p) => Number.isFinite(p.value)).at(-1)
  return (
    <div className="tile-rul" data-testid="tile-defect">
      {last ? (
        <>
          <span className="label">Latest cast {last.unit}: P(defect)</span>{' '}
          <b className={`num ${last.flagged ? 'cell-warning' : ''}`}>{last.value.toFixed(2)}</b>
          <span className="label"> (threshold {s!.threshold})</span>
        </>
      ) : (
        <span className="label">No cast judged yet</span>
      )}
    </div>
  )
}

/** One asset at a glance: health, score against threshold, source state, recent score. */
export function AssetTile({ asset }: { asset: AssetView }) {
  const a = useLiveAsset(asset.id)
  const s = a?.score
  // An asset no model scores is not "no data": its values stream; it simply has no verdict.
  const scored = asset.models.some(isDetector)
  const state = !scored ? 'NOT SCORED' : !s ? 'NO DATA' : s.anomaly ? 'ANOMALY' : 'NORMAL'
  const source = a?.status?.state ?? 'unknown'
  const top = s ? largest(s.contrib) : -1
  const topTag = asset.tags[top]
  return (
    <a className="tile" href={href('asset', asset.id)} data-testid={`tile-${asset.id}`} data-state={state}>
      <div className="tile-head">
        <span className="tile-id">{asset.id}</span>
        <span className={`state state-${state.replace(' ', '-')}`} data-testid="health">
          {state}
        </span>
      </div>
      <div className="tile-name">{asset.name}</div>
      {/* No detector, no score: an empty score row would only say "nothing here". */}
      {scored && (
        <div className="tile-score">
          <span className="label">Score</span>
          <span className="num" data-testid="score">
            {formatScore(s?.score ?? NaN)}
          </span>
          <span className="label">threshold</span>
          <span className="num">
            {formatScore(s?.threshold ?? asset.models.find(isDetector)?.threshold ?? NaN)}
          </span>
        </div>
      )}
      <RulLine asset={asset} />
      <DefectLine asset={asset} />
      {s && <ScoreBar score={s.score} threshold={s.threshold} />}
      {s && topTag && (
        <div className="tile-top">
          Largest share of the error (against normal): <b>{topTag.name ?? topTag.id}</b>{' '}
          {((s.contrib[top] ?? 0) * 100).toFixed(0)}%
        </div>
      )}
      <Sparkline assetId={asset.id} />
      <div className="tile-foot">
        {asset.origin === 'imported' ? (
          // Only the history holds it: no source to be down, so nothing to warn about.
          <span data-testid="source-state">imported, no live source</span>
        ) : (
          <span className={source === 'running' ? '' : 'state state-warn'} data-testid="source-state">
            Source {source}
            {a?.status?.message ? `: ${a.status.message}` : ''}
          </span>
        )}
        <span>{a && scored ? `${a.counts.anomalies} of ${a.counts.windows} windows anomalous` : ''}</span>
      </div>
      {a && a.faults.length > 0 && (
        <div className="tile-faults">
          Simulated faults: {a.faults.map((f) => f.kind.replace('_', ' ')).join(', ')}
        </div>
      )}
    </a>
  )
}
