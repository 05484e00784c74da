/** One asset's update of the live store, as the page saw it. */
export interface ProbeUpdate {
  /** The animation frame it happened in (frames counted from the page's start). */
  frame: number
  /** The newest sample's time. */
  t: number
  /** Each tag's sensor state in the asset's tag order (empty before the first score). */
  states: number[]
  /** WebSocket messages the page had received by then. */
  messages: number
}

/** What the page recorded: every redraw of a live trend and every update of one asset. */
export interface Probe {
  frame: number
  messages: number
  /** chart: the trend figure's data-testid. */
  draws: { frame: number; chart: string }[]
  updates: ProbeUpdate[]
}

/**
 * Installed with page.addInitScript before the app loads; runs in the page, so it uses nothing
 * from outside itself. It stamps everything with an animation-frame count (requestAnimationFrame
 * is wrapped; every callback of one frame sees the same timestamp), counts a redraw of a live
 * trend whenever uPlot clears the trend's whole canvas (it does so once per redraw, and for
 * nothing else), counts WebSocket messages as they arrive, and records each update of the asset
 * in the live store, which the app hands to `window.__vigilTest` only when a test defined it.
 */
export function installProbe(assetId: string): void {
  const probe: Probe = { frame: 0, messages: 0, draws: [], updates: [] }
  const w = window as unknown as Record<string, unknown>
  w.__probe = probe

  const raf = window.requestAnimationFrame.bind(window)
  let lastTs = -1
  window.requestAnimationFrame = (cb) =>
    raf((ts) => {
      if (ts !== lastTs) {
        lastTs = ts
        probe.frame++
      }
      cb(ts)
    })
  // Frames are counted even while the app asks for none.
  const tick = () => window.requestAnimationFrame(tick)
  tick()

  const clear = CanvasRenderingContext2D.prototype.clearRect
  CanvasRenderingContext2D.prototype.clearRect = function (x: number, y: number, cw: number, ch: number) {
    const c = this.canvas
    if (x === 0 && y === 0 && cw === c.width && ch === c.height) {
      const chart = c.closest('figure[data-testid^="trend-"]')?.getAttribute('data-testid')
      if (chart) probe.draws.push({ frame: probe.frame, chart })
    }
    clear.call(this, x, y, cw, ch)
  }

  const Socket = window.WebSocket
  window.WebSocket = class extends Socket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols)
      this.addEventListener('message', () => probe.messages++)
    }
  }

  interface Asset {
    samples: { lastT(): number }
    score: { sensorState: Uint8Array } | null
  }
  interface Store {
    getState(): { assets: Record<string, Asset | undefined> }
    subscribe(fn: (s: { assets: Record<string, Asset | undefined> }) => void): () => void
  }
  w.__vigilTest = {
    set liveStore(store: Store) {
      let seen = store.getState().assets[assetId]
      store.subscribe((s) => {
        const a = s.assets[assetId]
        if (!a || a === seen) return
        seen = a
        probe.updates.push({
          frame: probe.frame,
          t: a.samples.lastT(),
          states: a.score ? Array.from(a.score.sensorState) : [],
          messages: probe.messages,
        })
      })
    },
  }
}
