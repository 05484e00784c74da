import type uPlot from 'uplot'
import { hmi } from './hmi-colors.ts'

const two = (n: number) => (n < 10 ? `0${n}` : String(n))

/** Local clock time; seconds only when the view is short enough for them to matter. */
export function clock(t: number, seconds: boolean): string {
  const d = new Date(t)
  const hm = `${two(d.getHours())}:${two(d.getMinutes())}`
  return seconds ? `${hm}:${two(d.getSeconds())}` : hm
}

/** Time and value axes in the HMI's greys, sized for reading at a control-room distance. */
export function hmiAxes(valueSize = 64): uPlot.Axis[] {
  const common = {
    stroke: hmi.axis,
    font: hmi.font,
    grid: { stroke: hmi.grid, width: 1 },
    ticks: { stroke: hmi.grid, width: 1, size: 4 },
  }
  return [
    {
      ...common,
      space: 90,
      // One line of clock time instead of uPlot's two-line date stamps: the live window is
      // never longer than an hour.
      values: (u, splits) => {
        const span = (u.scales.x!.max ?? 0) - (u.scales.x!.min ?? 0)
        return splits.map((t) => clock(t, span <= 15 * 60_000))
      },
    },
    { ...common, size: valueSize, space: 30 },
  ]
}

/** Keeps the live window fixed even before it has filled, so time always runs left to right at one scale. */
export function windowScale(range: { min: number; max: number }): uPlot.Scale {
  return { time: true, range: () => [range.min, range.max] }
}

/** The x series' legend entry: the time under the cursor, or "latest" when the cursor is away. */
export const timeSeries: uPlot.Series = {
  label: 'time',
  value: (_u, v, _s, idx) => (idx == null || v == null ? 'latest' : clock(v, true)),
}
