import { useEffect, useState } from 'react'
import { DETECTOR_KINDS } from '../../../shared/model-card.ts'
import type { FlaggedShare, ThresholdCalibration } from '../../../shared/threshold-channels.ts'
import { call, errorText } from '../../api/index.ts'
import { fromLocalInput, toLocalInput } from '../../charts/time-text.ts'
import { calibrationAdvice } from './calibration-advice.ts'

const HOUR = 3_600_000
const pct = (x: number) => `${(100 * x).toFixed(1)} %`
const share = (s: FlaggedShare) => `${s.threshold.toPrecision(4)} (flags ${s.flagged}, ${pct(s.share)})`

/**
 * One asset's detector: the engineer names a stretch of normal running (default the hour
 * before the asset's newest stored sample, which is simulated or imported time, not the clock's)
 * and a percentile; "Calibrate" shows what that stretch proposes beside the threshold in force
 * and the card's, each with what it would have flagged there, and "Apply" sends the reviewed
 * value, which the engine refuses if the range now gives another.
 */
function CalibrationRow({
  assetId,
  modelId,
  newest,
  mayApply,
  onDone,
}: {
  assetId: string
  modelId: string
  newest: number
  mayApply: boolean
  onDone: () => void
}) {
  const [from, setFrom] = useState(() => toLocalInput(newest - HOUR))
  // The field holds minutes, so this ends at the start of the newest sample's minute: a range
  // whose windows are all stored, which a live asset's next windows do not move under Apply.
  const [to, setTo] = useState(() => toLocalInput(newest))
  const [percentile, setPercentile] = useState('99')
  const [c, setC] = useState<ThresholdCalibration | null>(null)
  const [error, setError] = useState<string | null>(null)
  const advice = c && calibrationAdvice(c)
  const calibrate = () => {
    const a = fromLocalInput(from)
    const b = fromLocalInput(to)
    if (a === null || b === null) return setError('give both times')
    call('models.calibrateThreshold', { assetId, modelId, from: a, to: b, percentile: Number(percentile) })
      .then((r) => (setC(r.calibration), setError(null)))
      .catch((e: unknown) => (setC(null), setError(errorText(e))))
  }
  const apply = (r: ThresholdCalibration) =>
    call('models.acceptThreshold', {
      assetId,
      modelId,
      threshold: r.proposed.threshold,
      calibration: { from: r.from, to: r.to, percentile: r.percentile },
    })
      .then((x) => (setC(x.calibration ?? null), setError(null), onDone()))
      .catch((e: unknown) => setError(errorText(e)))
  return (
    <tr data-testid={`calibrate-${assetId}-${modelId}`}>
      <th>
        {assetId} · {modelId}
      </th>
      <td>
        <input
          type="datetime-local"
          aria-label="From"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
        />{' '}
        to <input type="datetime-local" aria-label="To" value={to} onChange={(e) => setTo(e.target.value)} />
      </td>
      <td>
        <input
          type="number"
          aria-label="Percentile"
          min={90}
          max={99.9}
          step={0.1}
          value={percentile}
          onChange={(e) => setPercentile(e.target.value)}
        />
      </td>
      <td data-testid="calibration-result">
        {c && (
          <>
            {c.windows} windows
            {c.otherVersionWindows > 0 && ` (${c.otherVersionWindows} of older versions left out)`}
            {/* One threshold a line: the three side by side pushed the buttons off the table. */}
            <br />
            proposed {share(c.proposed)}
            <br />
            in force {share(c.current)}
            <br />
            card {share(c.card)}
            {advice && (
              <p className="calibration-advice cell-warning" data-testid="calibration-advice">
                {advice}
              </p>
            )}
          </>
        )}
        {error && <span className="sign-in-error"> {error}</span>}
      </td>
      <td>
        <button type="button" className="small" onClick={calibrate}>
          Calibrate
        </button>
        {c && c.proposed.threshold !== c.current.threshold && (
          <button type="button" className="small" disabled={!mayApply} onClick={() => void apply(c)}>
            Apply {c.proposed.threshold.toPrecision(4)}
          </button>
        )}
      </td>
    </tr>
  )
}

/** Calibration on normal running for each asset's window detectors (the models.thresholds pairs). */
export function CalibrateThresholds({
  pairs,
  mayApply,
  onDone,
}: {
  pairs: { assetId: string; modelId: string }[]
  mayApply: boolean
  onDone: () => void
}) {
  // Only detectors score windows against a threshold; predictors (RUL, defect, policy) are left out.
  const [known, setKnown] = useState<{ detectors: Set<string>; newest: Map<string, number> } | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    Promise.all([call('models.list', {}), call('history.stats', {})])
      .then(([m, h]) =>
        setKnown({
          detectors: new Set(
            m.models.filter((x) => (DETECTOR_KINDS as readonly string[]).includes(x.kind)).map((x) => x.id),
          ),
          newest: new Map(h.assets.flatMap((a) => (a.to === null ? [] : [[a.assetId, a.to] as const]))),
        }),
      )
      .catch((e: unknown) => setError(errorText(e)))
  }, [])
  const rows = pairs.filter((x) => known?.detectors.has(x.modelId))
  return (
    <>
      <h2>Calibrate on normal running</h2>
      <p className="muted">
        Name a stretch this asset ran normally: the threshold becomes that percentile of the scores its model
        gave there (linear between closest ranks). The shipped cards use the 99th percentile of their training
        error.
      </p>
      {error && <p className="banner banner-warning">{error}</p>}
      <table className="grid" data-testid="calibrate-thresholds">
        <thead>
          <tr>
            <th>Asset · model</th>
            <th>Normal running</th>
            <th>Percentile</th>
            <th>Proposal (windows flagged in the range)</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((x) => (
            <CalibrationRow
              key={`${x.assetId}/${x.modelId}`}
              assetId={x.assetId}
              modelId={x.modelId}
              newest={known?.newest.get(x.assetId) ?? Date.now()}
              mayApply={mayApply}
              onDone={onDone}
            />
          ))}
        </tbody>
      </table>
    </>
  )
}
