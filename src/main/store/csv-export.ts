import type { Database } from 'better-sqlite3'
import { VigilError } from '../../shared/errors.ts'
import { decodeTimes, f64Of, lowerBound } from './block-codec.ts'
import { BLOCK_SPAN_MS } from './schema.ts'

export interface ExportRequest {
  assetId: string
  /** Default: the asset's configured tags, in order. */
  tags?: string[]
  /** Default: the whole history. Half-open [from, to). */
  from?: number
  to?: number
}

/** A block being written out: its times, one value column per exported tag (null: tag absent), and the next row. */
interface Open {
  t: Float64Array
  cols: (Float64Array | null)[]
  at: number
  end: number
}

const BLOCKS_PER_READ = 8
const CHUNK_CHARS = 1 << 20

/**
 * Writes the raw samples of one asset as CSV: `time` (ISO 8601, UTC, milliseconds) and one
 * column per tag, a value as the shortest text that reads back as the same double, an empty
 * field for no value. Streams: blocks are read a few at a time and text is handed to `write`
 * in ~1 MB chunks (awaited, so a slow file holds the reading back), so memory stays bounded
 * whatever the range. Blocks are merged by time, because an import can lay older blocks
 * beside live ones. Works on a file of any schema version (it reads only the block tables).
 */
export async function exportCsv(
  db: Database,
  req: ExportRequest,
  write: (chunk: string) => unknown,
): Promise<{ rows: number; tags: string[] }> {
  const asset = db.prepare('SELECT id FROM assets WHERE asset = ?').pluck().get(req.assetId) as
    number | undefined
  if (asset === undefined)
    throw new VigilError('not-found', `export: no asset "${req.assetId}" in the history`)
  const all = db
    .prepare('SELECT id, tag, position FROM tags WHERE asset_id = ? ORDER BY position IS NULL, position, id')
    .all(asset) as { id: number; tag: string; position: number | null }[]
  const tags = req.tags
    ? req.tags.map((name) => {
        const row = all.find((t) => t.tag === name)
        if (!row) throw new VigilError('not-found', `export: asset "${req.assetId}" has no tag "${name}"`)
        return row
      })
    : all.filter((t) => t.position !== null)
  const from = req.from ?? -Infinity
  const to = req.to ?? Infinity
  const page = db.prepare(
    `SELECT id, t0, t1, n, dt, t FROM time_blocks WHERE asset_id = ? AND t0 >= ? AND t0 < ? AND t1 >= ?
       AND (t0 > ? OR (t0 = ? AND id > ?)) ORDER BY t0, id LIMIT ${BLOCKS_PER_READ}`,
  )
  const column = db.prepare('SELECT v FROM value_blocks WHERE block_id = ? AND tag_id = ?').pluck()

  let text = `time,${tags.map((t) => t.tag).join(',')}\n`
  let rows = 0
  const open: Open[] = []
  const flushText = async () => {
    if (text.length === 0) return
    const chunk = text
    text = ''
    await write(chunk)
  }
  /** Writes every open row before `until`, oldest first. */
  const emit = async (until: number) => {
    for (;;) {
      let next: Open | null = null
      for (const o of open)
        if (o.at < o.end && o.t[o.at]! < until && (!next || o.t[o.at]! < next.t[next.at]!)) next = o
      if (!next) break
      const i = next.at++
      let line = new Date(next.t[i]!).toISOString()
      for (const c of next.cols) {
        const x = c ? c[i]! : NaN
        line += x === x ? `,${x}` : ','
      }
      text += `${line}\n`
      rows++
      if (text.length >= CHUNK_CHARS) await flushText()
    }
    for (let k = open.length - 1; k >= 0; k--) if (open[k]!.at >= open[k]!.end) open.splice(k, 1)
  }

  let lastT0 = -Infinity
  let lastId = -1
  const lo = Number.isFinite(from) ? from - BLOCK_SPAN_MS : -Number.MAX_VALUE
  const hi = Number.isFinite(to) ? to : Number.MAX_VALUE
  const loT1 = Number.isFinite(from) ? from : -Number.MAX_VALUE
  for (;;) {
    const blocks = page.all(asset, lo, hi, loT1, lastT0, lastT0, lastId) as {
      id: number
      t0: number
      n: number
      dt: number | null
      t: Buffer | null
    }[]
    if (blocks.length === 0) break
    for (const b of blocks) {
      // Nothing later can start before this block: what is open before its start is final.
      await emit(b.t0)
      const t = decodeTimes(b.t0, b.n, b.dt, b.t)
      const cols = tags.map((tag) => {
        const v = column.get(b.id, tag.id) as Buffer | undefined
        return v ? f64Of(v) : null
      })
      open.push({ t, cols, at: lowerBound(t, from), end: lowerBound(t, to) })
      lastT0 = b.t0
      lastId = b.id
    }
  }
  await emit(Infinity)
  await flushText()
  return { rows, tags: tags.map((t) => t.tag) }
}

/** A file name for an export: asset and span, safe on every filesystem. */
export function exportFileName(assetId: string, from: number | undefined, to: number | undefined): string {
  const stamp = (x: number | undefined, none: string) =>
    x === undefined ? none : new Date(x).toISOString().replace(/[:.]/g, '-')
  return `${assetId}_${stamp(from, 'start')}_${stamp(to, 'end')}.csv`.replace(/[^A-Za-z0-9_.-]/g, '_')
}
