import { useEffect, useRef, type RefObject } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import { liveStore } from '../state/live-store.ts'
import { frameThrottle } from './frame-throttle.ts'

/** A chart's options and its redraw, made together so they can share per-chart buffers. */
export interface ChartSetup {
  opts: uPlot.Options
  /** Refills the data from the live rings; runs at most once per animation frame. */
  draw(u: uPlot): void
}

/**
 * Owns one uPlot in the returned container: builds it from `setup(width)`, follows the
 * container's width, and redraws in the next animation frame after a change to the asset's
 * live picture (store.subscribe, not React state, so a new sample never re-renders a
 * component). A chart scrolled out of view or under a collapsed panel is not drawn: it
 * remembers that its data changed and draws once when it comes back into view. Everything it
 * starts it stops on unmount or when `deps` change.
 */
export function useUPlot(
  assetId: string,
  setup: (width: number) => ChartSetup,
  deps: unknown[],
): RefObject<HTMLDivElement | null> {
  const container = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = container.current
    if (!el) return
    const { opts, draw } = setup(Math.max(100, el.clientWidth))
    const u = new uPlot(opts, undefined, el)
    // Drawn until the observer first reports, so a chart never starts blank.
    let visible = true
    let stale = true
    const frame = frameThrottle(() => {
      if (!visible) return
      stale = false
      draw(u)
    })
    frame.kick()
    let seen = liveStore.getState().assets[assetId]
    const off = liveStore.subscribe((s) => {
      const a = s.assets[assetId]
      if (a === seen) return
      seen = a
      stale = true
      if (visible) frame.kick()
    })
    const resize = new ResizeObserver(() => {
      const w = Math.max(100, el.clientWidth)
      if (w !== u.width) {
        u.setSize({ width: w, height: u.height })
        stale = true
        frame.kick()
      }
    })
    resize.observe(el)
    const view = new IntersectionObserver((entries) => {
      visible = entries[entries.length - 1]!.isIntersecting
      if (visible && stale) frame.kick()
    })
    view.observe(el)
    return () => {
      view.disconnect()
      resize.disconnect()
      off()
      frame.cancel()
      u.destroy()
    }
    // The caller lists what its opts and draw depend on.
  }, [assetId, ...deps])
  return container
}

/** Plot width in CSS pixels, for choosing how many points are worth drawing. */
export const plotWidth = (u: uPlot): number => Math.max(50, u.bbox.width / (window.devicePixelRatio || 1))
