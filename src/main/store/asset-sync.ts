import type { Database } from 'better-sqlite3'
import type { WriterInit } from './writer-protocol.ts'

export interface AssetRows {
  assetRow: number
  /** Tag row ids in the configured order. */
  tagRows: number[]
}

/**
 * Records the configured assets and tags, keeping the row ids of ones already in the file so
 * their history stays attached. A tag that left the configuration keeps its rows and loses
 * its position.
 */
export function syncAssets(db: Database, assets: WriterInit['assets']): Map<string, AssetRows> {
  const upsertAsset = db.prepare(
    'INSERT INTO assets (asset, name, class) VALUES (?, ?, ?) ON CONFLICT (asset) DO UPDATE SET name = excluded.name, class = excluded.class RETURNING id',
  )
  const unposition = db.prepare('UPDATE tags SET position = NULL WHERE asset_id = ?')
  const upsertTag = db.prepare(
    'INSERT INTO tags (asset_id, tag, unit, position) VALUES (?, ?, ?, ?) ON CONFLICT (asset_id, tag) DO UPDATE SET unit = excluded.unit, position = excluded.position RETURNING id',
  )
  const rows = new Map<string, AssetRows>()
  db.transaction(() => {
    for (const a of assets) {
      const assetRow = upsertAsset.pluck().get(a.id, a.name, a.class) as number
      unposition.run(assetRow)
      const tagRows = a.tags.map((t, i) => upsertTag.pluck().get(assetRow, t.id, t.unit, i) as number)
      rows.set(a.id, { assetRow, tagRows })
    }
  })()
  return rows
}
