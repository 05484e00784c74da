/*
 * The app's side of the history case: the real WebSocket client and HistoryChart
 * (src/renderer), reading a decimating range query from `vigil serve`. window.zoom(from, to)
 * asks for a range at the chart's width and resolves once the first frame after the answer
 * has run, with the query's and the render's milliseconds, the render split into React's
 * commit (with uPlot's setData), uPlot's drawing, and the wait for the frame.
 */
import { flushSync } from 'react-dom'
import { createRoot } from 'react-dom/client'
import { call, installClient } from '../../src/renderer/api/index.ts'
import { createWsClient, pageWsUrl } from '../../src/renderer/api/ws-client.ts'
import { HistoryChart, type HistoryLine } from '../../src/renderer/charts/HistoryChart.tsx'
import type { HistoryTable } from '../../src/renderer/charts/history-frame.ts'
import { hmi } from '../../src/renderer/charts/hmi-colors.ts'
import '../../src/renderer/styles/hmi.css'

installClient(createWsClient({ url: pageWsUrl(window.location) }))
const params = new URLSearchParams(location.search)
const assetId = params.get('asset') ?? 'HIST'
const root = createRoot(document.getElementById('root')!)
const el = document.getElementById('root')!
el.style.padding = '8px'

interface Shown {
  lines: HistoryLine[]
  tables: HistoryTable[]
  from: number
  to: number
}

function render(s: Shown | null): void {
  root.render(
    s ? (
      <HistoryChart
        title={assetId}
        syncKey="h"
        height={600}
        lines={s.lines}
        tables={s.tables}
        from={s.from}
        to={s.to}
      />
    ) : null,
  )
}

/** What the bench reads back to hand the same arrays to the bare page. */
let last: { t: number[]; cols: number[][] } | null = null

async function zoom(from: number, to: number) {
  const width = Math.max(100, el.clientWidth - 120)
  const q0 = performance.now()
  const b = await call('history.range', { assetId, from, to, maxPoints: width })
  const queryMs = performance.now() - q0
  // Each tag as an envelope: its max column then its min column (raw: the same column twice).
  const cols = b.tags.flatMap((_, k) => [b.max[k]!, b.min[k]!])
  const lines = b.tags.map((tag, k) => ({ label: tag, stroke: hmi.trend[k % 4]!, band: true }))
  const r0 = performance.now()
  flushSync(() => render({ lines, tables: [{ t: b.t, cols }], from, to }))
  const commitMs = performance.now() - r0
  // uPlot draws in a microtask queued by setData, which runs before this continuation.
  await null
  const drawMs = performance.now() - r0 - commitMs
  const renderMs = await new Promise<number>((r) => requestAnimationFrame(() => r(performance.now() - r0)))
  last = { t: Array.from(b.t), cols: cols.map((c) => Array.from(c)) }
  return { queryMs, commitMs, drawMs, renderMs, points: b.t.length, raw: b.raw, width, series: b.tags.length }
}

Object.assign(window, { zoom, lastBlock: () => last })
render(null)
