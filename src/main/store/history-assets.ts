import type { Database } from 'better-sqlite3'

/*
 * Assets the history holds that the plant does not configure: a CSV imported as a new asset,
 * or an asset since removed from the plant file. They have no live source, but their history
 * is readable, so the UI lists them beside the configured ones (plant.describe).
 */

export interface HistoryAsset {
  id: string
  name: string
  class: string
  /** In position order; `min`/`max` are the stored values' extremes (0 and 1 when none is stored). */
  tags: { id: string; unit: string; min: number; max: number }[]
}

/**
 * Every asset in the file whose id is not in `configured`, with at least one tag. Ranges come
 * from the blocks' own min/max columns (never their blobs), so this reads one small cell per
 * stored block of those assets only.
 */
export function historyAssets(db: Database, configured: ReadonlySet<string>): HistoryAsset[] {
  // '~' starts the hidden rows of imports still staging (import-stage.ts).
  const tagRows = db
    .prepare(
      `SELECT a.id AS row, a.asset, a.name, a.class, t.id AS tagRow, t.tag, t.unit
       FROM assets a JOIN tags t ON t.asset_id = a.id
       WHERE a.asset NOT LIKE '~%'
       ORDER BY a.id, t.position IS NULL, t.position, t.id`,
    )
    .all() as {
    row: number
    asset: string
    name: string
    class: string
    tagRow: number
    tag: string
    unit: string
  }[]
  const ranges = db.prepare(
    `SELECT v.tag_id AS tagRow, min(v.vmin) AS lo, max(v.vmax) AS hi
       FROM time_blocks b JOIN value_blocks v ON v.block_id = b.id
       WHERE b.asset_id = ? GROUP BY v.tag_id`,
  )
  const byRow = new Map<
    number,
    { asset: HistoryAsset; range: Map<number, { lo: number | null; hi: number | null }> }
  >()
  for (const r of tagRows) {
    if (configured.has(r.asset)) continue
    let a = byRow.get(r.row)
    if (!a) {
      const rows = ranges.all(r.row) as { tagRow: number; lo: number | null; hi: number | null }[]
      a = {
        asset: { id: r.asset, name: r.name, class: r.class, tags: [] },
        range: new Map(rows.map((x) => [x.tagRow, x])),
      }
      byRow.set(r.row, a)
    }
    const seen = a.range.get(r.tagRow)
    let min = seen?.lo ?? 0
    let max = seen?.hi ?? 1
    // A flat tag still needs a range to draw in.
    if (!(min < max)) [min, max] = seen?.lo == null ? [0, 1] : [min - 1, max + 1]
    a.asset.tags.push({ id: r.tag, unit: r.unit, min, max })
  }
  return [...byRow.values()].map((a) => a.asset)
}
