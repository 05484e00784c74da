import type uPlot from 'uplot'
import { SensorState } from '../../shared/samples.ts'
import { liveStore } from '../state/live-store.ts'
import { formatValue } from '../state/format.ts'
import { hmiAxes, timeSeries, windowScale } from './axes.ts'
import { hmi } from './hmi-colors.ts'
import { plotWidth, useUPlot } from './use-uplot.ts'
import { LiveEnvelope } from './live-envelope.ts'
import { RedrawGate } from './redraw-gate.ts'

export interface TrendTag {
  /** Column in the asset's sample ring (the asset's tag order). */
  index: number
  label: string
  critical?: { above?: number; below?: number }
}

export interface LiveTrendProps {
  assetId: string
  title: string
  unit: string
  tags: TrendTag[]
  windowS: number
  /** Charts sharing a key share the cursor. */
  syncKey: string
  height?: number
}

/** A live trend of several tags of one unit; a tag's line turns amber or red only while the model flags it. */
export function LiveTrend(p: LiveTrendProps) {
  const key = p.tags.map((t) => t.index).join(',')
  const ref = useUPlot(
    p.assetId,
    (width) => {
      const envelope = new LiveEnvelope(p.tags.map((t) => t.index))
      let shown = -1
      const range = { min: 0, max: 1 }
      const stroke = (i: number) => (): string => {
        const state = liveStore.getState().assets[p.assetId]?.score?.sensorState[p.tags[i]!.index]
        if (state === SensorState.CRITICAL) return hmi.critical
        if (state === SensorState.ANOMALOUS) return hmi.warning
        return hmi.trend[i % hmi.trend.length]!
      }
      const limits = p.tags
        .flatMap((t) => [t.critical?.above, t.critical?.below])
        .filter((v) => v !== undefined)
      const opts: uPlot.Options = {
        width,
        height: p.height ?? 180,
        ms: 1,
        cursor: { sync: { key: p.syncKey }, drag: { x: false, y: false } },
        legend: { show: true, live: true },
        scales: { x: windowScale(range) },
        axes: hmiAxes(),
        series: [
          timeSeries,
          ...p.tags.map((t, i) => ({
            label: t.label,
            stroke: stroke(i),
            // Away from the cursor the legend shows each tag's newest value.
            value: (_u: uPlot, v: number | null, _s: number, idx: number | null) =>
              formatValue(
                idx == null
                  ? (liveStore.getState().assets[p.assetId]?.samples.latest(t.index) ?? NaN)
                  : (v ?? NaN),
              ),
            width: 2,
            dash: hmi.dash[i % hmi.dash.length]!,
            spanGaps: false,
            points: { show: false },
          })),
        ],
        hooks: {
          // Critical limits as thin solid lines labelled at the left, drawn only when the
          // value axis reaches them, so they never squeeze the trend itself.
          draw: [
            (u) => {
              const ctx = u.ctx
              const px = window.devicePixelRatio || 1
              const { left, width: w, top, height } = u.bbox
              ctx.save()
              ctx.strokeStyle = hmi.limit
              ctx.fillStyle = hmi.limit
              ctx.lineWidth = px
              ctx.setLineDash([])
              ctx.font = `${Math.round(12 * px)}px system-ui, sans-serif`
              ctx.textAlign = 'left'
              let labelY = -Infinity
              for (const v of limits) {
                const y = Math.round(u.valToPos(v, 'y', true))
                if (y < top || y > top + height) continue
                ctx.beginPath()
                ctx.moveTo(left, y)
                ctx.lineTo(left + w, y)
                ctx.stroke()
                // Two limits a few pixels apart share one label rather than overprint.
                if (Math.abs(y - labelY) < 14 * px) continue
                ctx.fillText(`limit ${v}`, left + 4 * px, y - 3 * px)
                labelY = y
              }
              ctx.restore()
            },
          ],
        },
      }
      const gate = new RedrawGate(p.tags.length)
      const draw = (u: uPlot) => {
        const a = liveStore.getState().assets[p.assetId]
        if (!a || a.samples.length === 0) return
        const state = (i: number) => a.score?.sensorState[p.tags[i]!.index] ?? 255
        if (!gate.due(a.samples.lastT(), p.windowS * 1000, a.samples.clears, plotWidth(u), state)) return
        range.max = a.samples.lastT()
        range.min = range.max - p.windowS * 1000
        // At most about one point per plot pixel: more only costs raster time (bench `render`).
        u.setData(envelope.fill(a.samples, p.windowS * 1000, plotWidth(u)).data)
        // How many points uPlot was handed, for tests and the render bench; written only when it changes.
        if (envelope.length !== shown && u.root.parentElement) {
          shown = envelope.length
          u.root.parentElement.dataset.points = String(shown)
        }
      }
      return { opts, draw }
    },
    [p.windowS, p.syncKey, p.height, key],
  )
  return (
    <figure className="chart" data-testid={`trend-${p.title}`}>
      <figcaption>
        {p.title} <span className="unit">{p.unit}</span>
      </figcaption>
      <div ref={ref} className="chart-body" />
    </figure>
  )
}
