/*
 * Parsing one file on two threads. Converting text to numbers is most of an import's CPU
 * (~0.6 s per million rows of 10 values, as much as SQLite takes to store them), so the
 * file's data is cut at a line start near its middle and each half is parsed by its own
 * thread into the same stage while the writer stores both: on two cores the parsing no longer
 * sets the pace. The halves must give exactly what one pass would have, so joinRanges checks
 * what a range cannot know on its own and refuses when it differs (the job then parses the
 * whole file again in one range):
 *   - the second range starts with no "last time": its first kept row must not go back from
 *     the first range's last one (a backwards row across the cut would have been rejected);
 *   - a range stops at a quoted field ('quoted'), whose record may cross the cut.
 * What a range can be told afterwards is fixed up: its bad rows' line numbers.
 */
import { closeSync, openSync, readSync } from 'node:fs'
import type { BadRow } from '../../shared/import.ts'
import { BAD_ROWS_KEPT } from './bad-rows.ts'
import type { FromImportWorker } from './import-protocol.ts'

type Done = Extract<FromImportWorker, { type: 'done' }>

/** Below this much data one thread parses faster than two start. */
export const SPLIT_MIN_BYTES = 8 << 20
/** How far past the middle a line end is looked for. */
const PROBE_BYTES = 1 << 16

/** A line start near the middle of the file's data [from, size), or null when it has none close by. */
export function splitPoint(file: string, from: number, size: number): number | null {
  if (size - from < SPLIT_MIN_BYTES) return null
  const mid = from + Math.floor((size - from) / 2)
  const buf = new Uint8Array(PROBE_BYTES)
  const fd = openSync(file, 'r')
  try {
    const n = readSync(fd, buf, 0, buf.length, mid)
    const lf = buf.subarray(0, n).indexOf(10)
    // A cut at the very end would leave the second range empty.
    return lf >= 0 && mid + lf + 1 < size ? mid + lf + 1 : null
  } finally {
    closeSync(fd)
  }
}

/** `a` (the first range) and `b` as one parse of both; null when one pass could have differed. */
export function joinRanges(a: Done, b: Done, file: string): Done | null {
  if (a.parser === 'quoted' || b.parser === 'quoted') return null
  // Abort mode: the first range's bad row is where one pass stops; the second range's work is moot.
  if (a.stopped) return a
  if (a.rows > 0 && b.rows > 0 && b.first < a.last) return null
  // The second range counted its lines from 1.
  const shift = a.nextLine - 1
  const moved = (r: BadRow): BadRow => ({
    ...r,
    line: r.line + shift,
    message: r.message.replace(`${file}:${r.line}:`, `${file}:${r.line + shift}:`),
  })
  const badRows = [...a.badRows, ...b.badRows.slice(0, BAD_ROWS_KEPT - a.badRows.length).map(moved)]
  const byReason = { ...a.byReason }
  for (const k of Object.keys(byReason) as (keyof typeof byReason)[]) byReason[k] += b.byReason[k]
  return {
    type: 'done',
    parser: a.parser === b.parser ? `${a.parser}, 2 threads` : `${a.parser}, then ${b.parser}`,
    nextLine: b.nextLine + shift,
    rows: a.rows + b.rows,
    rejected: a.rejected + b.rejected,
    stopped: b.stopped,
    badRows,
    byReason,
    first: a.rows > 0 ? a.first : b.first,
    last: b.rows > 0 ? b.last : a.last,
    min: a.min.map((x, k) => Math.min(x, b.min[k]!)),
    max: a.max.map((x, k) => Math.max(x, b.max[k]!)),
    peakBytes: a.peakBytes + b.peakBytes,
  }
}
