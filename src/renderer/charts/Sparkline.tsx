import { scoreSetup } from './score-setup.ts'
import { useUPlot } from './use-uplot.ts'

/** A tile's small picture of the anomaly score against its threshold, no axes, no cursor. */
export function Sparkline(p: { assetId: string; windowS?: number; height?: number }) {
  const windowS = p.windowS ?? 600
  const height = p.height ?? 56
  const ref = useUPlot(p.assetId, scoreSetup(p.assetId, windowS, { compact: true, height }), [
    windowS,
    height,
  ])
  return (
    <figure className="sparkline" data-state="NORMAL">
      <div ref={ref} className="chart-body" />
    </figure>
  )
}
