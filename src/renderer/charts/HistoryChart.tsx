import { useEffect, useRef, type RefObject } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import { formatValue } from '../state/format.ts'
import { hmi } from './hmi-colors.ts'
import { HISTORY_LINE_WIDTH, joinTables, type HistoryTable } from './history-frame.ts'
import { axisTimes, formatDateTime } from './time-text.ts'

export interface HistoryLine {
  label: string
  stroke: string
  dash?: number[]
  width?: number
  /** Takes two columns, each bucket's max then its min, drawn as an envelope: a one-sample spike still shows. */
  band?: boolean
  /** The envelope's fill. */
  fill?: string
  /** Marks only, no line (anomalous windows). */
  points?: boolean
  format?: (v: number) => string
}

/** An annotation: a dashed line at t (a shaded span to `to`) labelled with its text. */
export interface HistoryMark {
  t: number
  to?: number
  text: string
}

export interface HistoryChartProps {
  title: string
  unit?: string
  testId?: string
  /** Consume the tables' columns in order: two for a band, one otherwise. */
  lines: HistoryLine[]
  tables: HistoryTable[]
  from: number
  to: number
  marks?: HistoryMark[]
  /** Write each mark's text beside its line (the view's top chart); the others draw the lines only. */
  markLabels?: boolean
  /** The moment picked by a click, drawn as a solid line. */
  picked?: number | null
  syncKey: string
  height?: number
  /** Scores are errors: the value axis starts at zero so a rise reads as a rise. */
  fromZero?: boolean
  /** The figure's data-state (ANOMALY frames it in red). */
  state?: string
  /** A drag across the plot: the range to show next. */
  onZoom?(from: number, to: number): void
  /** A click on the plot: the moment under the cursor. */
  onPick?(t: number): void
}

/**
 * A history chart: data from a decimating range query, zoomed by dragging (the view asks the
 * engine for the new range, so each zoom is drawn from at most a point or two per pixel),
 * annotations drawn over it, and the cursor shared with the view's other charts. uPlot is
 * built once per set of lines; new data only calls setData.
 */
export function HistoryChart(p: HistoryChartProps) {
  const el = useRef<HTMLDivElement>(null)
  const plot = useRef<uPlot | null>(null)
  /** The tables uPlot holds, so the same arrays are not converted and handed over twice. */
  const drawn = useRef<HistoryTable[] | null>(null)
  const latest = useRef(p)
  latest.current = p
  const shape = [
    ...p.lines.map((l) => `${l.label}|${l.band ? 1 : 0}|${l.points ? 1 : 0}|${l.stroke}`),
    p.height,
    p.syncKey,
    p.fromZero,
  ].join(',')

  useEffect(() => {
    const div = el.current
    if (!div) return
    // Built with its data: the data effect below then has nothing to add for this render.
    const u = new uPlot(
      options(latest, Math.max(100, div.clientWidth)),
      joinTables(latest.current.tables),
      div,
    )
    plot.current = u
    drawn.current = latest.current.tables
    // A press and release in one place picks a moment; one that travelled was a zoom.
    // Read from the events, not u.cursor, which uPlot moves on the next animation frame.
    let downX = NaN
    const down = (e: MouseEvent) => (downX = e.clientX)
    const up = (e: MouseEvent) => {
      const left = e.clientX - u.over.getBoundingClientRect().left
      if (!(Math.abs(e.clientX - downX) <= 3) || left < 0) return
      latest.current.onPick?.(u.posToVal(left, 'x'))
    }
    u.over.addEventListener('mousedown', down)
    u.over.addEventListener('mouseup', up)
    const resize = new ResizeObserver(() => {
      const w = Math.max(100, div.clientWidth)
      if (w !== u.width) u.setSize({ width: w, height: u.height })
    })
    resize.observe(div)
    return () => {
      resize.disconnect()
      u.over.removeEventListener('mousedown', down)
      u.over.removeEventListener('mouseup', up)
      u.destroy()
      plot.current = null
    }
  }, [shape])

  useEffect(() => {
    const u = plot.current
    if (!u) return
    // A new range of the same tables only moves the x scale (its range reads latest.current).
    if (drawn.current === p.tables) u.setScale('x', { min: p.from, max: p.to })
    else u.setData(joinTables(p.tables))
    drawn.current = p.tables
  }, [p.tables, p.from, p.to])

  useEffect(() => {
    plot.current?.redraw(false)
  }, [p.marks, p.picked, p.markLabels])

  return (
    <figure className="chart history-chart" data-testid={p.testId} data-state={p.state}>
      <figcaption>
        {p.title} {p.unit && <span className="unit">{p.unit}</span>}
        <span className="flag">ANOMALY</span>
      </figcaption>
      <div ref={el} className="chart-body" />
    </figure>
  )
}

function options(latest: RefObject<HistoryChartProps>, width: number): uPlot.Options {
  const p = latest.current
  const series: uPlot.Series[] = [
    { label: 'time', value: (_u, v, _s, idx) => (idx == null || v == null ? '—' : formatDateTime(v)) },
  ]
  const bands: uPlot.Band[] = []
  for (const line of p.lines) {
    const fmt = line.format ?? formatValue
    const common = {
      stroke: line.stroke,
      width: line.width ?? HISTORY_LINE_WIDTH,
      dash: line.dash ?? [],
      spanGaps: false,
      points: { show: false },
    }
    if (line.points) {
      series.push({
        label: line.label,
        stroke: line.stroke,
        paths: () => null,
        points: { show: true, size: 7, stroke: line.stroke, fill: line.stroke },
        value: (_u, v) => (v == null ? '—' : fmt(v)),
      })
    } else if (line.band) {
      const hi = series.length
      series.push({
        ...common,
        label: line.label,
        // The legend reads the envelope under the cursor: "min – max" when they differ.
        value: (u, v, s, idx) => {
          if (idx == null || v == null) return '—'
          const lo = u.data[s + 1]?.[idx]
          return lo == null || lo === v ? fmt(v) : `${fmt(lo)} – ${fmt(v)}`
        },
      })
      series.push({ ...common, label: `${line.label} min`, class: 'history-lo' })
      bands.push({ series: [hi, hi + 1], fill: line.fill ?? 'rgba(39, 67, 95, 0.16)' })
    } else {
      series.push({ ...common, label: line.label, value: (_u, v) => (v == null ? '—' : fmt(v)) })
    }
  }
  const axis = {
    stroke: hmi.axis,
    font: hmi.font,
    grid: { stroke: hmi.grid, width: 1 },
    ticks: { stroke: hmi.grid, width: 1, size: 4 },
  }
  return {
    width,
    height: p.height ?? 200,
    ms: 1,
    series,
    bands,
    legend: { show: true, live: true },
    cursor: { sync: { key: p.syncKey }, drag: { x: true, y: false, setScale: false } },
    scales: {
      // The range asked for, not the data's: the first bucket may begin before it.
      x: { time: true, range: () => [latest.current.from, latest.current.to] },
      y: p.fromZero ? { range: (_u, _min, max) => [0, max > 0 ? max * 1.15 : 1] } : {},
    },
    axes: [
      {
        ...axis,
        space: 110,
        values: (u, splits) => axisTimes(splits, (u.scales.x!.max ?? 0) - (u.scales.x!.min ?? 0)),
      },
      { ...axis, size: 64, space: 30 },
    ],
    hooks: {
      setSelect: [
        (u) => {
          if (u.select.width > 3) {
            const a = u.posToVal(u.select.left, 'x')
            const b = u.posToVal(u.select.left + u.select.width, 'x')
            latest.current.onZoom?.(a, b)
          }
          if (u.select.width > 0) u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false)
        },
      ],
      draw: [(u) => drawMarks(u, latest.current)],
    },
  }
}

/** Annotations as dashed lines (shaded spans) with their text, and the picked moment as a solid line. */
function drawMarks(u: uPlot, p: HistoryChartProps): void {
  const ctx = u.ctx
  const px = uPlot.pxRatio
  const { left, top, width, height } = u.bbox
  const xOf = (t: number) => Math.round(u.valToPos(t, 'x', true))
  ctx.save()
  ctx.font = `${Math.round(12 * px)}px system-ui, sans-serif`
  ctx.textBaseline = 'top'
  ctx.textAlign = 'left'
  for (const m of p.marks ?? []) {
    const x = xOf(m.t)
    if (m.to !== undefined) {
      const x1 = Math.min(left + width, xOf(m.to))
      const x0 = Math.max(left, x)
      if (x1 > x0) {
        ctx.fillStyle = 'rgba(0, 0, 0, 0.07)'
        ctx.fillRect(x0, top, x1 - x0, height)
      }
    }
    if (x < left || x > left + width) continue
    ctx.strokeStyle = hmi.threshold
    ctx.lineWidth = px
    ctx.setLineDash([4 * px, 3 * px])
    ctx.beginPath()
    ctx.moveTo(x, top)
    ctx.lineTo(x, top + height)
    ctx.stroke()
    if (!p.markLabels) continue
    const text = m.text.length > 28 ? `${m.text.slice(0, 27)}…` : m.text
    const w = ctx.measureText(text).width
    const tx = Math.min(x + 3 * px, left + width - w - 4 * px)
    ctx.fillStyle = 'rgba(227, 228, 229, 0.9)'
    ctx.fillRect(tx - 2 * px, top + 2 * px, w + 4 * px, 15 * px)
    ctx.fillStyle = hmi.text
    ctx.fillText(text, tx, top + 3 * px)
  }
  if (p.picked != null) {
    const x = xOf(p.picked)
    if (x >= left && x <= left + width) {
      ctx.strokeStyle = hmi.text
      ctx.lineWidth = 2 * px
      ctx.setLineDash([])
      ctx.beginPath()
      ctx.moveTo(x, top)
      ctx.lineTo(x, top + height)
      ctx.stroke()
    }
  }
  ctx.restore()
}
