import type { ModelFigures } from './defect-figures.ts'

const S = 260
// Room left of the plot for the tick labels and, further out, the rotated axis title.
const PAD = 40
/** Members told apart by marker shape and grey shade, not by colour: colour is for alarms. */
const MARKS: Record<string, 'circle' | 'square' | 'diamond'> = {
  ensemble: 'circle',
  xgboost: 'square',
  lstm: 'diamond',
}

/**
 * Reliability (calibration) diagram: per bin of predicted P(defect), the defect rate observed
 * on the test casts; a calibrated model lies on the diagonal. Marker area follows the casts in
 * the bin, so an empty or tiny bin does not look like evidence.
 */
export function ReliabilityChart({ figures }: { figures: ModelFigures[] }) {
  const x = (p: number) => PAD + p * (S - 2 * PAD)
  const y = (p: number) => S - PAD - p * (S - 2 * PAD)
  const total = Math.max(1, ...figures.flatMap((f) => f.reliability.map((b) => b.casts)))
  return (
    <figure className="reliability">
      <svg viewBox={`0 0 ${S} ${S}`} role="img" aria-label="Reliability diagram" data-testid="reliability">
        <rect className="frame" x={PAD} y={PAD} width={S - 2 * PAD} height={S - 2 * PAD} />
        <line className="diagonal" x1={x(0)} y1={y(0)} x2={x(1)} y2={y(1)} />
        {[0, 0.5, 1].map((v) => (
          <g key={v}>
            <text className="axis" x={x(v)} y={S - PAD + 12} textAnchor="middle">
              {v}
            </text>
            <text className="axis" x={PAD - 4} y={y(v) + 4} textAnchor="end">
              {v}
            </text>
          </g>
        ))}
        <text className="axis" x={S / 2} y={S - 4} textAnchor="middle">
          predicted P(defect)
        </text>
        <text className="axis" transform={`translate(12 ${S / 2}) rotate(-90)`} textAnchor="middle">
          observed defect rate
        </text>
        {figures.map((f) =>
          f.reliability
            .filter((b) => b.casts > 0 && b.meanPredicted !== null && b.observedRate !== null)
            .map((b) => {
              const r = 2.5 + 7 * Math.sqrt(b.casts / total)
              const cx = x(b.meanPredicted!)
              const cy = y(b.observedRate!)
              const mark = MARKS[f.key] ?? 'circle'
              const cls = `mark mark-${f.key}`
              return mark === 'circle' ? (
                <circle key={`${f.key}-${b.bin[0]}`} className={cls} cx={cx} cy={cy} r={r} />
              ) : mark === 'square' ? (
                <rect
                  key={`${f.key}-${b.bin[0]}`}
                  className={cls}
                  x={cx - r}
                  y={cy - r}
                  width={2 * r}
                  height={2 * r}
                />
              ) : (
                <path
                  key={`${f.key}-${b.bin[0]}`}
                  className={cls}
                  d={`M${cx},${cy - r}L${cx + r},${cy}L${cx},${cy + r}L${cx - r},${cy}Z`}
                />
              )
            }),
        )}
      </svg>
      <figcaption className="muted">
        ● ensemble ■ XGBoost ◆ LSTM; marker size: test casts in the bin; the diagonal is perfect calibration.
      </figcaption>
    </figure>
  )
}
