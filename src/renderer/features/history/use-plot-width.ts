import { useEffect, useState } from 'react'

/** Room the value axis and padding take from a chart's width, px. */
const AXIS_PX = 90

/**
 * The plot width in CSS pixels of the charts in a container: what a range query asks for,
 * so a zoom is drawn from about one bucket per pixel. Rounded to 20 px so a scrollbar coming
 * and going does not ask the engine again. Returns a callback ref: the container may appear
 * after the first render.
 */
export function usePlotWidth(): [(el: HTMLDivElement | null) => void, number] {
  const [el, setEl] = useState<HTMLDivElement | null>(null)
  const [points, setPoints] = useState(0)
  useEffect(() => {
    if (!el) return
    const measure = () => setPoints(Math.max(100, Math.round((el.clientWidth - AXIS_PX) / 20) * 20))
    measure()
    const observer = new ResizeObserver(measure)
    observer.observe(el)
    return () => observer.disconnect()
  }, [el])
  return [setEl, points]
}
