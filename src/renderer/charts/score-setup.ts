import type uPlot from 'uplot'
import { ANOMALY, liveStore, SCORE, THRESHOLD } from '../state/live-store.ts'
import { formatScore } from '../state/format.ts'
import { hmiAxes, timeSeries, windowScale } from './axes.ts'
import { hmi } from './hmi-colors.ts'
import type { ChartSetup } from './use-uplot.ts'
import { plotWidth } from './use-uplot.ts'
import { RedrawGate } from './redraw-gate.ts'
import { WindowColumns, type Column } from './window-columns.ts'

const cols = [SCORE, THRESHOLD, ANOMALY] as const

/**
 * The anomaly score against its threshold over a live window. Normal windows draw in muted
 * blue-grey; windows over the threshold are overdrawn in red, and the chart's <figure> carries
 * data-state="ANOMALY" while the newest window is anomalous so the frame can say so too.
 */
export function scoreSetup(
  assetId: string,
  windowS: number,
  o: { compact: boolean; height: number; syncKey?: string },
): (width: number) => ChartSetup {
  return (width) => {
    const w = new WindowColumns(3)
    const over: Column = []
    const data: uPlot.AlignedData = [w.x, w.ys[0]!, w.ys[1]!, over]
    const range = { min: 0, max: 1 }
    const latest = () => liveStore.getState().assets[assetId]?.score
    const opts: uPlot.Options = {
      width,
      height: o.height,
      ms: 1,
      legend: { show: !o.compact, live: true },
      cursor: o.compact
        ? { show: false }
        : { sync: { key: o.syncKey ?? assetId }, drag: { x: false, y: false } },
      scales: {
        x: windowScale(range),
        // Scores are errors: the axis starts at zero so a rise reads as a rise.
        y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.15 : 1] },
      },
      axes: o.compact ? [{ show: false }, { show: false }] : hmiAxes(),
      series: [
        timeSeries,
        {
          label: 'score',
          stroke: hmi.trend[0],
          width: o.compact ? 1.5 : 2,
          points: { show: false },
          value: (_u, v, _s, idx) => formatScore(idx == null ? (latest()?.score ?? NaN) : (v ?? NaN)),
        },
        {
          label: 'threshold',
          stroke: hmi.threshold,
          width: 1.5,
          dash: [6, 4],
          points: { show: false },
          value: (_u, v, _s, idx) => formatScore(idx == null ? (latest()?.threshold ?? NaN) : (v ?? NaN)),
        },
        {
          label: 'over threshold',
          value: (_u, v, _s, idx) => ((idx == null ? latest()?.anomaly : v != null) ? 'ANOMALY' : 'no'),
          stroke: hmi.critical,
          width: o.compact ? 2 : 3,
          spanGaps: false,
          // A lone anomalous window has no neighbour to draw a line to: mark it with a point.
          points: { show: true, size: o.compact ? 3 : 5, stroke: hmi.critical, fill: hmi.critical },
        },
      ],
    }
    const gate = new RedrawGate(1)
    const draw = (u: uPlot) => {
      const a = liveStore.getState().assets[assetId]
      const figure = u.root.closest('figure')
      if (figure) figure.dataset.state = a?.score?.anomaly ? 'ANOMALY' : 'NORMAL'
      if (!a || (a.scores.length === 0 && a.samples.length === 0)) return
      // Before the first window is scored the time axis still follows the samples.
      const newest = Math.max(a.scores.lastT() || 0, a.samples.lastT() || 0)
      // Less than a pixel of news waits for the next redraw; an ANOMALY verdict draws at once.
      const verdict = () => (a.score?.anomaly ? 1 : 0)
      if (!gate.due(newest, windowS * 1000, a.scores.clears + a.samples.clears, plotWidth(u), verdict)) return
      range.max = newest
      range.min = range.max - windowS * 1000
      // A sparkline has no time axis to read, so it spends its width on the data it has.
      if (o.compact && a.scores.length > 1) range.min = Math.max(range.min, a.scores.t[a.scores.slot(0)]!)
      w.fill(a.scores, range.min, cols, plotWidth(u) * 2)
      const [score, , flag] = w.ys as [Column, Column, Column]
      over.length = score.length
      for (let i = 0; i < score.length; i++) over[i] = flag[i] ? score[i]! : null
      u.setData(data)
    }
    return { opts, draw }
  }
}
