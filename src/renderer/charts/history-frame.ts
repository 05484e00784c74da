import type uPlot from 'uplot'

/**
 * History lines are one CSS pixel wide. Chromium rasterises a canvas in software here (the
 * GPU is off) when the frame is finalised, and a stroke of at most one device pixel is drawn
 * as a hairline, while a wider one goes through Skia's stroker with uPlot's round joins: the
 * whole-range frame of bench `render` (10 envelopes, 20 lines of 1,667 points) rasterised 2-3x
 * faster at 1 px than at 1.5 px. At a devicePixelRatio of 2 a line is two device pixels again.
 */
export const HISTORY_LINE_WIDTH = 1

/** null is a gap (uPlot breaks the line); undefined is a row another table added (uPlot spans it). */
export type Cell = number | null | undefined

/** Columns of one query: time (epoch ms) and value columns; NaN marks an empty bucket or a missing value. */
export interface HistoryTable {
  t: Float64Array
  cols: Float64Array[]
  /** Added to every time: a compared period is drawn over the one it is compared with. */
  shift?: number
}

/**
 * Query answers as the arrays uPlot draws: the one place history's NaN becomes null (uPlot
 * treats only null as a gap, leeoniya/uPlot#1045). Tables on different time grids (a
 * period compared with another) are outer-joined on time; a row one table lacks is left
 * undefined in its columns, so its lines run on across the other table's rows while its own
 * gaps still break them.
 */
export function joinTables(tables: HistoryTable[]): uPlot.AlignedData {
  const single = tables.length === 1 ? tables[0]! : null
  if (single) {
    const shift = single.shift ?? 0
    return [Array.from(single.t, (t) => t + shift), ...single.cols.map(toCells)] as uPlot.AlignedData
  }
  const x = unionTimes(tables)
  const out: Cell[][] = []
  for (const table of tables) {
    const shift = table.shift ?? 0
    const cols = table.cols.map(() => new Array<Cell>(x.length).fill(undefined))
    let row = 0
    for (let i = 0; i < table.t.length; i++) {
      const t = table.t[i]! + shift
      while (x[row]! < t) row++
      for (let k = 0; k < cols.length; k++) {
        const v = table.cols[k]![i]!
        cols[k]![row] = v === v ? v : null
      }
    }
    out.push(...cols)
  }
  return [x, ...out] as uPlot.AlignedData
}

function toCells(col: Float64Array): Cell[] {
  const out = new Array<Cell>(col.length)
  for (let i = 0; i < col.length; i++) {
    const v = col[i]!
    out[i] = v === v ? v : null
  }
  return out
}

/** Sorted distinct times of every table (each already ascending), shifts applied. */
function unionTimes(tables: HistoryTable[]): number[] {
  const all: number[] = []
  for (const table of tables) {
    const shift = table.shift ?? 0
    for (let i = 0; i < table.t.length; i++) all.push(table.t[i]! + shift)
  }
  all.sort((a, b) => a - b)
  let n = 0
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[n - 1]) all[n++] = all[i]!
  all.length = n
  return all
}

/** Most points handed to uPlot per series, over plot pixels: the budget the history view keeps under. */
export function pointsPerPixel(data: uPlot.AlignedData, from: number, to: number, plotPx: number): number {
  const x = data[0] as number[]
  let n = 0
  for (const t of x) if (t >= from && t <= to) n++
  return n / Math.max(1, plotPx)
}
