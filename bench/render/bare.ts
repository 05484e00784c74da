/*
 * The baseline: uPlot alone, no React, no store, no decimation. Live mode is what a plain
 * uPlot page would draw for the same live data: it opens its own socket to the same `vigil
 * serve`, takes the same 10-minute snapshot per asset and the same live batches (decoded with
 * the wire's own decoder, the least any page must do), keeps each asset's window in plain
 * arrays and hands uPlot every raw sample in it, redrawing the charts whose data changed once
 * per animation frame. The charts sit in the same figures, under the same stylesheet, with the
 * same series styles and axes as the app's, so both sides paint the same canvases.
 * History mode: draws arrays it is given and times the first frame.
 */
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import '../../src/renderer/styles/hmi.css'
import { decode, encode, liveMessages } from '../../src/shared/wire.ts'
import { hmiAxes } from '../../src/renderer/charts/axes.ts'
import { hmi } from '../../src/renderer/charts/hmi-colors.ts'
import { HISTORY_LINE_WIDTH } from '../../src/renderer/charts/history-frame.ts'
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

interface Wall {
  u: uPlot
  /** The x scale's fixed 10-minute window, ending at the newest sample (the app's windowScale). */
  range: { min: number; max: number }
  x: number[]
  ys: (number | null)[][]
  dirty: boolean
}

interface Columns {
  t: Float64Array
  values: Float64Array[]
}

function live(): void {
  const sock = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`)
  sock.binaryType = 'arraybuffer'
  const answers = new Map<number, (v: unknown) => void>()
  let nextId = 1
  const call = (method: string, req: unknown) =>
    new Promise<unknown>((resolve) => {
      const id = nextId++
      answers.set(id, resolve)
      sock.send(encode({ id, method, req }))
    })
  const walls = new Map<string, Wall>()
  const early = new Map<string, Columns[]>()

  const append = (w: Wall, b: Columns) => {
    const last = w.x.length ? w.x[w.x.length - 1]! : -Infinity
    for (let r = 0; r < b.t.length; r++) {
      if (b.t[r]! <= last) continue
      w.x.push(b.t[r]!)
      for (let k = 0; k < w.ys.length; k++) {
        const v = b.values[k]?.[r] ?? NaN
        w.ys[k]!.push(Number.isFinite(v) ? v : null)
      }
    }
    // Drop what slid out of the window, as a plain page would.
    const from = w.x[w.x.length - 1]! - WINDOW_S * 1000
    let drop = 0
    while (drop < w.x.length && w.x[drop]! < from) drop++
    if (drop) {
      w.x.splice(0, drop)
      for (const y of w.ys) y.splice(0, drop)
    }
    w.dirty = true
  }

  sock.onmessage = (ev) => {
    const msg = decode(ev.data as ArrayBuffer) as { id?: number; result?: { value: unknown } }
    if (typeof msg.id === 'number') {
      answers.get(msg.id)?.(msg.result?.value)
      answers.delete(msg.id)
      return
    }
    for (const m of liveMessages(msg) as { topic: string; batch: Columns & { assetId: string } }[]) {
      if (m.topic !== 'samples') continue
      const w = walls.get(m.batch.assetId)
      if (w) append(w, m.batch)
      // Batches that beat the asset's snapshot are appended after it (append skips repeats).
      else early.get(m.batch.assetId)?.push(m.batch)
    }
  }

  sock.onopen = async () => {
    const plant = (await call('plant.describe', {})) as {
      assets: { id: string; origin?: string; tags: { id: string }[] }[]
    }
    for (const a of plant.assets.filter((x) => x.origin !== 'imported')) {
      const fig = document.createElement('figure')
      fig.className = 'chart'
      const caption = document.createElement('figcaption')
      caption.textContent = a.id
      const body = document.createElement('div')
      body.className = 'chart-body'
      fig.append(caption, body)
      root.appendChild(fig)
      const range = { min: 0, max: 1 }
      const o: uPlot.Options = {
        width: Math.max(100, body.clientWidth),
        height: CHART_HEIGHT,
        ms: 1,
        cursor: { sync: { key: 'wall' }, drag: { x: false, y: false } },
        legend: { show: true, live: true },
        scales: { x: { time: true, range: () => [range.min, range.max] } },
        axes: hmiAxes(),
        series: [
          { label: 'time' },
          ...a.tags.map((t, i) => ({
            label: t.id,
            stroke: hmi.trend[i % hmi.trend.length]!,
            width: 2,
            dash: hmi.dash[i % hmi.dash.length]!,
            spanGaps: false,
            points: { show: false },
          })),
        ],
      }
      const w: Wall = {
        u: new uPlot(o, undefined, body),
        range,
        x: [],
        ys: a.tags.map(() => []),
        dirty: false,
      }
      early.set(a.id, [])
      const snap = (await call('live.snapshot', { assetId: a.id, seconds: WINDOW_S })) as { samples: Columns }
      append(w, snap.samples)
      for (const b of early.get(a.id)!) append(w, b)
      early.delete(a.id)
      walls.set(a.id, w)
    }
  }

  const frame = () => {
    for (const w of walls.values())
      if (w.dirty && w.x.length) {
        w.dirty = false
        w.range.max = w.x[w.x.length - 1]!
        w.range.min = w.range.max - WINDOW_S * 1000
        w.u.setData([w.x, ...w.ys] as uPlot.AlignedData)
      }
    requestAnimationFrame(frame)
  }
  requestAnimationFrame(frame)

  Object.assign(window, {
    /** Raw points per series handed to uPlot: the fewest of any chart. */
    __points: () => (walls.size ? Math.min(...[...walls.values()].map((w) => w.x.length)) : 0),
  })
}

let plot: uPlot | null = null
/** Draws the given columns (x then series); resolves with the ms until the next frame has run, and its parts. */
async function drawHistory(
  data: (number | null)[][],
): Promise<{ ms: number; setMs: number; drawMs: number }> {
  const t0 = performance.now()
  if (!plot || plot.series.length !== data.length) {
    plot?.destroy()
    const el = document.createElement('div')
    root.replaceChildren(el)
    root.style.gridTemplateColumns = '1fr'
    // The same picture as the app's: each tag an envelope, its max and min lines with the band between.
    const o = opts(Math.max(100, root.clientWidth - 16), data.length - 1)
    o.height = 600
    o.series = o.series.map((x, i) => (i === 0 ? x : { ...x, width: HISTORY_LINE_WIDTH }))
    o.bands = Array.from({ length: (data.length - 1) / 2 }, (_, k) => ({
      series: [1 + 2 * k, 2 + 2 * k] as [number, number],
      fill: 'rgba(39, 67, 95, 0.16)',
    }))
    plot = new uPlot(o, undefined, el)
  }
  plot.setData(data as uPlot.AlignedData)
  const setMs = performance.now() - t0
  // uPlot draws in a microtask queued by setData: awaiting one more runs after it.
  await null
  const drawMs = performance.now() - t0 - setMs
  const ms = await new Promise<number>((r) => requestAnimationFrame(() => r(performance.now() - t0)))
  return { ms, setMs, drawMs }
}

if (params.get('mode') === 'history') Object.assign(window, { drawHistory })
else live()
