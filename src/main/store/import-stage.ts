import type { Database, Statement } from 'better-sqlite3'
import type { BlockWriter } from './block-writer.ts'
import { insertDataset, type DatasetRecord } from './import-datasets.ts'
import type { PackedRollup } from './rollup-codec.ts'
import { RollupWriter } from './rollup-writer.ts'

/*
 * An import is staged, not written: its blocks go in under a hidden asset row, unsealed, so
 * no query, rollup or retention pass sees them, in the writer's ordinary transactions beside
 * live data. Commit is one small transaction that hands the blocks (and any new tags) to the
 * real asset and seals them; abort deletes the stage. Either way the history outside the
 * stage never held a partial import. A stage left by a crash is dropped when the writer next
 * starts.
 *
 * Rollups: when every tag of the import is new (a new asset, or new tags of one), its blocks
 * are folded into the rollups as they are staged, under the stage's own tag rows: nobody
 * reads those rows until the commit moves the tags, so the commit leaves nothing to do, where
 * reading every block back after it cost about a fifth of an import. An import into tags that
 * already have history cannot do that (their rollup rows are live), so its blocks join the
 * rollups after the commit (RollupWriter.backfill); until they do, queries read them raw.
 * Batches may come from several producers (an import parsing ranges of its file in parallel),
 * each ascending on its own. An import's parsing threads fold their batches' rollups
 * themselves (producer-rollups.ts) and send the rows with the batches, which takes that work
 * off this thread, the import's critical path; batches without them are folded here, into a
 * RollupWriter per producer. Either way rows are deltas: rows two ranges share are merged when
 * written rather than overwritten.
 */

/** Names of staging asset rows; an asset id cannot start with '~' (plant.ts). */
export const STAGE_PREFIX = '~import:'

export interface ImportStageSpec {
  /** Unique per import. */
  stage: string
  assetId: string
  name: string
  class: string
  /** The batch columns' tags, in order; ones the asset lacks are created on commit. */
  tags: { id: string; unit: string }[]
}

interface Stage {
  row: number
  /** The real asset's row, or null when the import creates the asset. */
  target: number | null
  tagRows: number[]
  /** Tag rows made for this import, and the position each gets in the asset. */
  newTags: { row: number; position: number }[]
  assetId: string
  /**
   * The stage's own rollups, one per producer, when every tag row is the stage's: blocks are
   * folded into them as they are staged. Null otherwise, or once a failed transaction left
   * them unsure (`lost`).
   */
  rollups: RollupWriter[] | null
  /** Rollup rows were written for it and then a transaction failed: the commit redoes them. */
  lost: boolean
}

/** The writer thread's side: begin, append (inside the writer's transaction), commit or abort. */
export class ImportStages {
  private readonly db: Database
  private readonly blocks: BlockWriter
  private readonly stages = new Map<string, Stage>()
  private readonly assetRow: Statement
  private readonly tagRow: Statement

  constructor(db: Database, blocks: BlockWriter) {
    this.db = db
    this.blocks = blocks
    this.assetRow = db.prepare('SELECT id FROM assets WHERE asset = ?').pluck()
    this.tagRow = db.prepare('SELECT id FROM tags WHERE asset_id = ? AND tag = ?').pluck()
  }

  /** Drops what a crashed import left; runs once when the writer starts. */
  dropAbandoned(): void {
    const rows = this.db
      .prepare(`SELECT id FROM assets WHERE asset LIKE '${STAGE_PREFIX}%'`)
      .pluck()
      .all() as number[]
    if (rows.length) this.db.transaction(() => rows.forEach((r) => this.drop(r)))()
  }

  begin(spec: ImportStageSpec): void {
    if (this.stages.has(spec.stage)) throw new Error(`import ${spec.stage} is already staged`)
    this.db.transaction(() => {
      const target = (this.assetRow.get(spec.assetId) as number | undefined) ?? null
      const row = this.db
        .prepare('INSERT INTO assets (asset, name, class) VALUES (?, ?, ?) RETURNING id')
        .pluck()
        .get(`${STAGE_PREFIX}${spec.stage}`, spec.name, spec.class) as number
      let position = target === null ? 0 : this.nextPosition(target)
      const newTags: Stage['newTags'] = []
      const insTag = this.db
        .prepare('INSERT INTO tags (asset_id, tag, unit, position) VALUES (?, ?, ?, NULL) RETURNING id')
        .pluck()
      const tagRows = spec.tags.map((t) => {
        const existing = target === null ? undefined : (this.tagRow.get(target, t.id) as number | undefined)
        if (existing !== undefined) return existing
        const made = insTag.get(row, t.id, t.unit) as number
        newTags.push({ row: made, position: position++ })
        return made
      })
      const rollups = newTags.length === tagRows.length ? [] : null
      this.stages.set(spec.stage, {
        row,
        target,
        tagRows,
        newTags,
        assetId: spec.assetId,
        rollups,
        lost: false,
      })
    })()
  }

  /**
   * Inside the writer's transaction. `producer`: which of the stage's producers sent the rows
   * (0, 1...). `folded`: the rollup rows that producer folded them into (producer-rollups.ts),
   * stored here instead of folding the rows again; absent, the rows are folded here.
   */
  append(
    stage: string,
    t: Float64Array,
    values: Float64Array[],
    quality: Uint8Array[],
    producer = 0,
    folded?: PackedRollup[],
  ): void {
    const s = this.stages.get(stage)
    if (!s) throw new Error(`history writer: no import ${stage} is staged`)
    let rollups: RollupWriter | null = null
    if (s.rollups) rollups = s.rollups[producer] ??= new RollupWriter(this.db, { deltas: true })
    if (folded) {
      // Without stage rollups (tags with history, or after a failed transaction) the rows are
      // not wanted: the blocks stay unrolled and join the rollups after the commit.
      const slot = { assetRow: s.row, tagRows: s.tagRows }
      if (t.length > 0) this.blocks.insertStaged(slot, t, values, quality, rollups ? 'folded' : null)
      if (rollups)
        for (const d of folded) {
          const tag = s.tagRows[d.column]
          if (tag === undefined) throw new Error(`history writer: import ${stage} has no column ${d.column}`)
          rollups.writeDelta(tag, d)
        }
      return
    }
    if (t.length === 0) return
    this.blocks.insertStaged({ assetRow: s.row, tagRows: s.tagRows }, t, values, quality, rollups)
    // A producer's rows are ascending: none of its later batches reaches back before this one's last time.
    rollups?.flushClosed(t[t.length - 1]!)
  }

  /**
   * After a failed transaction: what the stages' rollups hold in memory may include rolled-back
   * rows, and what they wrote may lack them. Their blocks go on unfolded, and the commit drops
   * what was folded and leaves all of the stage's blocks to the backfill.
   */
  rolledBack(): void {
    for (const s of this.stages.values())
      if (s.rollups) {
        s.rollups = null
        s.lost = true
      }
  }

  /** Whether `stage` is staged (not yet committed or aborted). */
  has(stage: string): boolean {
    return this.stages.has(stage)
  }

  /**
   * Makes the staged samples part of the asset's history, or forgets them; one transaction,
   * which on commit also records the dataset (import-datasets.ts).
   */
  end(stage: string, commit: boolean, dataset?: DatasetRecord): void {
    const s = this.stages.get(stage)
    if (!s) throw new Error(`history writer: no import ${stage} is staged`)
    this.stages.delete(stage)
    this.db.transaction(() => {
      if (!commit) return this.drop(s.row)
      if (dataset) insertDataset(this.db, dataset, Date.now())
      // The rows still open (the last of each tag and level) are complete now.
      for (const r of s.rollups ?? []) r.flush()
      if (s.lost) {
        this.db
          .prepare(`DELETE FROM rollups WHERE tag_id IN (${s.tagRows.map(() => '?').join(',')})`)
          .run(...s.tagRows)
        this.db.prepare('UPDATE time_blocks SET rolled = NULL WHERE asset_id = ?').run(s.row)
      }
      const setTag = this.db.prepare('UPDATE tags SET asset_id = ?, position = ? WHERE id = ?')
      if (s.target === null) {
        if (this.assetRow.get(s.assetId) !== undefined)
          throw new Error(`history writer: asset "${s.assetId}" appeared while import ${stage} ran`)
        this.db.prepare('UPDATE assets SET asset = ? WHERE id = ?').run(s.assetId, s.row)
        for (const t of s.newTags) setTag.run(s.row, t.position, t.row)
        this.db.prepare('UPDATE time_blocks SET sealed = 1 WHERE asset_id = ?').run(s.row)
        return
      }
      this.db
        .prepare('UPDATE time_blocks SET asset_id = ?, sealed = 1 WHERE asset_id = ?')
        .run(s.target, s.row)
      for (const t of s.newTags) setTag.run(s.target, t.position, t.row)
      this.db.prepare('DELETE FROM assets WHERE id = ?').run(s.row)
    })()
  }

  private nextPosition(asset: number): number {
    const max = this.db.prepare('SELECT max(position) FROM tags WHERE asset_id = ?').pluck().get(asset)
    return typeof max === 'number' ? max + 1 : 0
  }

  private drop(row: number): void {
    this.db
      .prepare('DELETE FROM value_blocks WHERE block_id IN (SELECT id FROM time_blocks WHERE asset_id = ?)')
      .run(row)
    this.db.prepare('DELETE FROM time_blocks WHERE asset_id = ?').run(row)
    this.db.prepare('DELETE FROM rollups WHERE tag_id IN (SELECT id FROM tags WHERE asset_id = ?)').run(row)
    this.db.prepare('DELETE FROM tags WHERE asset_id = ?').run(row)
    this.db.prepare('DELETE FROM assets WHERE id = ?').run(row)
  }
}
