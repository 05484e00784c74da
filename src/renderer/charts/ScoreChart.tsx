import { scoreSetup } from './score-setup.ts'
import { useUPlot } from './use-uplot.ts'

export interface ScoreChartProps {
  assetId: string
  windowS: number
  syncKey: string
  height?: number
}

/** The asset view's anomaly score against its threshold, sharing the cursor with the trends. */
export function ScoreChart(p: ScoreChartProps) {
  const height = p.height ?? 160
  const ref = useUPlot(
    p.assetId,
    scoreSetup(p.assetId, p.windowS, { compact: false, height, syncKey: p.syncKey }),
    [p.windowS, p.syncKey, height],
  )
  return (
    <figure className="chart score-chart" data-testid="score-chart" data-state="NORMAL">
      <figcaption>
        Anomaly score <span className="unit">vs threshold</span>
        <span className="flag">ANOMALY</span>
      </figcaption>
      <div ref={ref} className="chart-body" />
    </figure>
  )
}
