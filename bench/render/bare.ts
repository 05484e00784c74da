/*
 * The baseline: uPlot alone, no React, no store, no WebSocket. Live mode: ten charts of ten
 * series, each chart's data arrays shifted in place as its asset's sample arrives (10 Hz per
 * asset), redrawn on the next animation frame, with as many points per series as the app
 * hands uPlot (two per plot pixel). History mode: draws arrays it is given and times the
 * first frame.
 */
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import { CHART_HEIGHT, gridStyle, WINDOW_S } from './layout.ts'

const params = new URLSearchParams(location.search)
const root = document.getElementById('root')!
Object.assign(root.style, gridStyle)

const opts = (width: number, series: number): uPlot.Options => ({
  width,
  height: CHART_HEIGHT,
  ms: 1,
  cursor: { drag: { x: false, y: false } },
  series: [
    {},
    ...Array.from({ length: series }, () => ({ stroke: '#27435f', width: 2, points: { show: false } })),
  ],
})

function live(): void {
  const assets = Number(params.get('assets') ?? 10)
  const tags = Number(params.get('tags') ?? 10)
  const hz = Number(params.get('hz') ?? 10)
  const charts = Array.from({ length: assets }, (_, a) => {
    const el = document.createElement('div')
    root.appendChild(el)
    const u = new uPlot(opts(Math.max(100, el.clientWidth), tags), undefined, el)
    // As many points as the app hands uPlot now (the bench reads it from the app's page).
    const n = Number(params.get('points') ?? Math.floor(2 * (u.bbox.width / (window.devicePixelRatio || 1))))
    const now = Date.now()
    const step = (WINDOW_S * 1000) / n
    const x = Array.from({ length: n }, (_, i) => now - (n - i) * step)
    const ys = Array.from({ length: tags }, (_, k) =>
      Array.from({ length: n }, (_, i) => 50 + 10 * Math.sin(i / 40 + k + a)),
    )
    return { u, x, ys, dirty: true, phase: 0 }
  })
  for (const c of charts)
    setInterval(() => {
      c.x.shift()
      c.x.push(Date.now())
      c.phase++
      for (let k = 0; k < c.ys.length; k++) {
        c.ys[k]!.shift()
        c.ys[k]!.push(50 + 10 * Math.sin(c.phase / 40 + k) + Math.random())
      }
      c.dirty = true
    }, 1000 / hz)
  const frame = () => {
    for (const c of charts)
      if (c.dirty) {
        c.dirty = false
        c.u.setData([c.x, ...c.ys])
      }
    requestAnimationFrame(frame)
  }
  requestAnimationFrame(frame)
}

let plot: uPlot | null = null
/** Draws the given columns (x then series) and resolves with the ms until the next frame has run. */
function drawHistory(data: (number | null)[][]): Promise<number> {
  const t0 = performance.now()
  if (!plot || plot.series.length !== data.length) {
    plot?.destroy()
    const el = document.createElement('div')
    root.replaceChildren(el)
    root.style.gridTemplateColumns = '1fr'
    // The same picture as the app's: each tag an envelope, its max and min lines with the band between.
    const o = opts(Math.max(100, root.clientWidth - 16), data.length - 1)
    o.height = 600
    o.series = o.series.map((x, i) => (i === 0 ? x : { ...x, width: 1.5 }))
    o.bands = Array.from({ length: (data.length - 1) / 2 }, (_, k) => ({
      series: [1 + 2 * k, 2 + 2 * k] as [number, number],
      fill: 'rgba(39, 67, 95, 0.16)',
    }))
    plot = new uPlot(o, undefined, el)
  }
  plot.setData(data as uPlot.AlignedData)
  return new Promise((r) => requestAnimationFrame(() => r(performance.now() - t0)))
}

if (params.get('mode') === 'history') Object.assign(window, { drawHistory })
else live()
