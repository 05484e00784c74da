import { useMemo, useState } from 'react'
import { LiveTrend } from '../../charts/LiveTrend.tsx'
import { ScoreChart } from '../../charts/ScoreChart.tsx'
import { href } from '../../shell/router.ts'
import type { ViewProps } from '../../shell/view.ts'
import { formatScore, formatTime } from '../../state/format.ts'
import { useLiveAsset, useSession } from '../../state/use-live.ts'
import { isDetector } from '../../state/model-kinds.ts'
import { FaultControl } from './FaultControl.tsx'
import { PredictionPanel } from './PredictionPanel.tsx'
import { SensorTable } from './SensorTable.tsx'
import { groupByUnit } from './unit-groups.ts'

const windows = [
  { s: 60, label: '1 min' },
  { s: 600, label: '10 min' },
  { s: 3600, label: '1 h' },
]

/** One asset: its health, live trends by unit with a shared cursor, the score, the sensors and the demo's faults. */
export function AssetPage({ params }: ViewProps) {
  const id = params[0] ?? ''
  const asset = useSession((s) => s.plant?.assets.find((a) => a.id === id))
  const live = useLiveAsset(id)
  const [windowS, setWindowS] = useState(600)
  const groups = useMemo(() => (asset ? groupByUnit(asset.tags) : []), [asset])
  if (!asset) return <p className="empty">{id ? `No asset “${id}” in this plant.` : 'No asset selected.'}</p>
  const s = live?.score
  // An asset no detector scores is not "no data": its values stream; it simply has no verdict.
  const scored = asset.models.some(isDetector)
  const state = !scored ? 'NOT SCORED' : !s ? 'NO DATA' : s.anomaly ? 'ANOMALY' : 'NORMAL'
  const sync = `asset-${id}`
  const simulated = live?.status?.kind === 'simulator'
  return (
    <section className="asset" data-testid="asset-view">
      <div className="asset-head">
        <h1>
          {asset.id} <span className="muted">{asset.name}</span>
        </h1>
        <span className={`state state-${state.replace(' ', '-')}`} data-testid="health">
          {state}
        </span>
        {scored && (
          <span className="head-fact">
            Score <b className="num">{formatScore(s?.score ?? NaN)}</b> / threshold{' '}
            <b className="num">{formatScore(s?.threshold ?? NaN)}</b>
          </span>
        )}
        <span className="head-fact">
          Source <b>{live?.status?.state ?? 'unknown'}</b>
        </span>
        {live?.pipeline?.state === 'failed' && (
          <span className="head-fact abnormal" title={live.pipeline.message}>
            Pipeline <b>failed</b>: {live.pipeline.message}
          </span>
        )}
        <span className="head-fact">
          Data time <b className="num">{formatTime(live?.samples.lastT() ?? NaN)}</b>
        </span>
        {asset.origin !== 'imported' && (
          <a className="button" href={href('assistant', asset.id)} data-testid="explain-asset">
            Explain…
          </a>
        )}
        <div className="segmented" role="group" aria-label="Live window">
          {windows.map((w) => (
            <button
              key={w.s}
              type="button"
              aria-pressed={windowS === w.s}
              onClick={() => setWindowS(w.s)}
              data-window={w.s}
            >
              {w.label}
            </button>
          ))}
        </div>
      </div>
      <div className="asset-body">
        <div className="asset-charts">
          {/* An asset no detector scores has no score to chart: its predictors show beside. */}
          {scored && <ScoreChart assetId={id} windowS={windowS} syncKey={sync} />}
          <div className="trend-grid">
            {groups.map((g) => (
              <LiveTrend
                key={g.unit}
                assetId={id}
                title={g.title}
                unit={g.unit}
                windowS={windowS}
                syncKey={sync}
                tags={g.indexes.map((i) => {
                  const t = asset.tags[i]!
                  return { index: i, label: t.name ?? t.id, critical: t.critical }
                })}
              />
            ))}
          </div>
        </div>
        <div className="asset-side">
          <PredictionPanel asset={asset} />
          <SensorTable asset={asset} live={live} />
          {simulated ? (
            <FaultControl asset={asset} active={live?.faults ?? []} />
          ) : (
            <p className="muted">Fault injection is offered for simulated assets only.</p>
          )}
        </div>
      </div>
    </section>
  )
}
