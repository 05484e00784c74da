/*
 * The app's side of the live case: the real WebSocket client, feed, live store and LiveTrend
 * (src/renderer), fed by `vigil serve`. One chart per asset, all its tags, a 10-minute
 * window: what a control-room overview wall of ten pumps would draw.
 */
import { createRoot } from 'react-dom/client'
import { installClient } from '../../src/renderer/api/index.ts'
import { createWsClient, pageWsUrl } from '../../src/renderer/api/ws-client.ts'
import { LiveTrend } from '../../src/renderer/charts/LiveTrend.tsx'
import { startFeed } from '../../src/renderer/state/feed.ts'
import { liveStore } from '../../src/renderer/state/live-store.ts'
import { useSession } from '../../src/renderer/state/use-live.ts'
import '../../src/renderer/styles/hmi.css'
import { CHART_HEIGHT, gridStyle, WINDOW_S } from './layout.ts'

const client = createWsClient({ url: pageWsUrl(window.location) })
installClient(client)
// Ten minutes of history first, as the app's own feed does on connect.
startFeed(client, { snapshotSeconds: WINDOW_S })

function Wall() {
  const plant = useSession((s) => s.plant)
  const assets = (plant?.assets ?? []).filter((a) => a.origin !== 'imported')
  return (
    <div style={gridStyle}>
      {assets.map((a) => (
        <LiveTrend
          key={a.id}
          assetId={a.id}
          title={a.id}
          unit=""
          windowS={WINDOW_S}
          syncKey="wall"
          height={CHART_HEIGHT}
          tags={a.tags.map((t, index) => ({ index, label: t.id }))}
        />
      ))}
    </div>
  )
}

/** Rows in the 10-minute window of the emptiest streamed asset. */
const rows = () => {
  // Assets only the history holds (the history case's) have no live rows: they are not on the wall.
  const assets = Object.values(liveStore.getState().assets).filter((a) => a.samples.length > 0)
  if (assets.length < 10) return 0
  return Math.min(
    ...assets.map((a) => a.samples.length - a.samples.lowerBound(a.samples.lastT() - WINDOW_S * 1000)),
  )
}
Object.assign(window, {
  __rows: rows,
  /** Points per series the charts last handed uPlot (LiveTrend's data-points), the fewest of any. */
  __points: () => {
    const shown = [...document.querySelectorAll<HTMLElement>('.chart-body[data-points]')]
    // A LiveTrend that does not say draws up to two rows per plot pixel.
    if (!shown.length)
      return Math.min(rows(), 2 * (document.querySelector('.chart .u-over')?.clientWidth ?? 0))
    return Math.min(...shown.map((el) => Number(el.dataset.points)))
  },
})

createRoot(document.getElementById('root')!).render(<Wall />)
