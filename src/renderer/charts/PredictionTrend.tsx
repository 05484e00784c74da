import { formatTime } from '../state/format.ts'
import './prediction-trend.css'

/** One prediction on the chart: its time, value and optional uncertainty band. */
export interface TrendPoint {
  t: number
  y: number
  lo?: number
  hi?: number
  /** Past the threshold: drawn in the alarm colour (ISA-101: colour only for the abnormal). */
  flagged: boolean
}

interface Props {
  points: TrendPoint[]
  threshold: number
  /** What the axis shows, with its unit: "RUL (h)", "P(defect)". */
  label: string
  /** 'line' joins predictions of one quantity over time (RUL); 'dots' shows one per unit (casts). */
  mode: 'line' | 'dots'
  yMin?: number
  yMax?: number
  height?: number
  testId?: string
}

const W = 640
// The top pad holds the axis label, above the plot, where no point can cover it.
const PAD = { l: 48, r: 10, t: 20, b: 22 }

/**
 * A small SVG chart of predictions: few points (hundreds), so SVG beats a canvas library for
 * clarity and print. Grey for the normal, the warning colour for points past the threshold,
 * a dashed line at the threshold, a shaded band for the spread.
 */
export function PredictionTrend({ points, threshold, label, mode, yMin, yMax, height = 180, testId }: Props) {
  if (points.length === 0)
    return (
      <p className="empty" data-testid={testId}>
        No predictions yet.
      </p>
    )
  const H = height
  const t0 = points[0]!.t
  const t1 = Math.max(points.at(-1)!.t, t0 + 1)
  const ys = points.flatMap((p) => [p.y, p.lo ?? p.y, p.hi ?? p.y]).filter(Number.isFinite)
  const lo = yMin ?? Math.min(threshold, ...ys)
  const hi = yMax ?? Math.max(threshold, ...ys)
  const span = hi - lo || 1
  const x = (t: number) => PAD.l + ((t - t0) / (t1 - t0)) * (W - PAD.l - PAD.r)
  const y = (v: number) => PAD.t + (1 - (Math.min(hi, Math.max(lo, v)) - lo) / span) * (H - PAD.t - PAD.b)
  const finite = points.filter((p) => Number.isFinite(p.y))
  const line = finite.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.y).toFixed(1)}`).join('')
  const banded = finite.filter((p) => p.lo !== undefined && p.hi !== undefined)
  const band =
    banded.length > 1
      ? banded.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.hi!).toFixed(1)}`).join('') +
        [...banded]
          .reverse()
          .map((p) => `L${x(p.t).toFixed(1)},${y(p.lo!).toFixed(1)}`)
          .join('') +
        'Z'
      : ''
  const ticks = [lo, lo + span / 2, hi]
  const fmt = (v: number) => (Math.abs(span) >= 10 ? v.toFixed(0) : v.toFixed(2))
  return (
    <svg
      className="prediction-trend"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`${label}: ${points.length} predictions`}
      data-testid={testId}
    >
      {ticks.map((v) => (
        <g key={v}>
          <line className="grid-line" x1={PAD.l} x2={W - PAD.r} y1={y(v)} y2={y(v)} />
          <text className="axis" x={PAD.l - 4} y={y(v) + 4} textAnchor="end">
            {fmt(v)}
          </text>
        </g>
      ))}
      <text className="axis" x={PAD.l} y={H - 6}>
        {formatTime(t0)}
      </text>
      <text className="axis" x={W - PAD.r} y={H - 6} textAnchor="end">
        {formatTime(t1)}
      </text>
      <text className="axis axis-label" x={PAD.l} y={12}>
        {label}
      </text>
      {band && <path className="band" d={band} />}
      <line className="threshold" x1={PAD.l} x2={W - PAD.r} y1={y(threshold)} y2={y(threshold)} />
      {mode === 'line' && <path className="trend-line" d={line} />}
      {finite.map((p) =>
        mode === 'dots' || p.flagged ? (
          <circle
            key={p.t}
            className={p.flagged ? 'dot dot-flagged' : 'dot'}
            cx={x(p.t)}
            cy={y(p.y)}
            r={p.flagged ? 4 : 3}
          />
        ) : null,
      )}
    </svg>
  )
}
