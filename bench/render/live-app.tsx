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

/** Rows in the window of the emptiest asset, capped as WindowColumns caps them (two per plot pixel). */
const maxPoints = () => {
  const plot = document.querySelector('.chart .u-over')
  return Math.floor(2 * (plot?.clientWidth ?? 900))
}
Object.assign(window, {
  __maxPoints: maxPoints,
  __points: () => {
    // Assets only the history holds (the history case's) have no live rows: they are not on the wall.
    const assets = Object.values(liveStore.getState().assets).filter((a) => a.samples.length > 0)
    if (assets.length < 10) return 0
    const rows = Math.min(
      ...assets.map((a) =>
        a.samples.length ? a.samples.length - a.samples.lowerBound(a.samples.lastT() - WINDOW_S * 1000) : 0,
      ),
    )
    return Math.min(rows, maxPoints())
  },
})

createRoot(document.getElementById('root')!).render(<Wall />)
