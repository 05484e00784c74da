import type { Database } from 'better-sqlite3'
import { STAGE_PREFIX } from './import-stage.ts'
import { KEPT_LEVEL, LEVELS, ROW_INTERVALS } from './rollup-levels.ts'

/** How long each kind of history is kept; absent = forever. */
export interface RetentionPolicy {
  /** Raw sample blocks, and the rollup levels finer than a minute. */
  rawDays?: number
  /** Rollups of a minute and coarser. Never shorter than rawDays. */
  rollupDays?: number
  /** Model outputs (prediction_logs). */
  predictionDays?: number
}

export interface RetentionResult {
  blocks: number
  rollups: number
  predictions: number
}

const DAY = 86_400_000
/** Rows per transaction: each one is over in milliseconds, so the writer's commits slip between them. */
const BLOCKS_PER_STEP = 16
const ROWS_PER_STEP = 2_000

/**
 * One pass of retention, as a generator that yields after each small transaction: the writer
 * thread runs a step, then lets queued batches commit, then the next step. Ages count back
 * from each asset's (each model's) newest data, not the wall clock, so a replay running ahead
 * of time or a file of last year's data being imported is kept as long as live data is.
 * A block not yet in the rollups (rolled NULL) is never dropped: its samples would be lost.
 */
export function* retentionPass(db: Database, policy: RetentionPolicy, out: RetentionResult): Generator<void> {
  const rawDays = policy.rawDays
  const rollupDays = policy.rollupDays === undefined ? undefined : Math.max(policy.rollupDays, rawDays ?? 0)
  // An import's stage (import-stage.ts) is not history yet: its rollups must survive until it commits.
  const assets = db
    .prepare(`SELECT id FROM assets WHERE asset NOT LIKE '${STAGE_PREFIX}%'`)
    .pluck()
    .all() as number[]
  const newest = db.prepare('SELECT max(t0) FROM time_blocks WHERE asset_id = ?').pluck()
  const oldBlocks = db
    .prepare(
      'SELECT id FROM time_blocks WHERE asset_id = ? AND t0 < ? AND t1 < ? AND sealed = 1 AND rolled IS NOT NULL LIMIT ?',
    )
    .pluck()
  const delValues = db.prepare('DELETE FROM value_blocks WHERE block_id = ?')
  const delBlock = db.prepare('DELETE FROM time_blocks WHERE id = ?')
  const delRollups = db.prepare(
    `DELETE FROM rollups WHERE id IN (SELECT r.id FROM rollups r JOIN tags g ON g.id = r.tag_id
       WHERE g.asset_id = ? AND r.level >= ? AND r.level < ? AND r.t0 + r.level * ${ROW_INTERVALS} <= ? LIMIT ${ROWS_PER_STEP})`,
  )
  const horizon = db.prepare(
    'UPDATE assets SET raw_horizon = max(coalesce(raw_horizon, @cutoff), @cutoff) WHERE id = @asset',
  )
  const minute = LEVELS[KEPT_LEVEL]!

  for (const asset of assets) {
    const last = newest.get(asset) as number | null
    if (last === null) continue
    if (rawDays !== undefined) {
      const cutoff = last - rawDays * DAY
      for (;;) {
        const ids = oldBlocks.all(asset, cutoff, cutoff, BLOCKS_PER_STEP) as number[]
        if (ids.length === 0) break
        db.transaction(() => {
          for (const id of ids) {
            delValues.run(id)
            delBlock.run(id)
          }
          horizon.run({ cutoff, asset })
        })()
        out.blocks += ids.length
        yield
      }
      yield* deleteRollups(() => delRollups.run(asset, 0, minute, cutoff).changes, out)
    }
    if (rollupDays !== undefined) {
      const cutoff = last - rollupDays * DAY
      yield* deleteRollups(
        () => delRollups.run(asset, 0, LEVELS[LEVELS.length - 1]! + 1, cutoff).changes,
        out,
      )
    }
  }

  if (policy.predictionDays !== undefined) {
    const models = db.prepare('SELECT id FROM models').pluck().all() as number[]
    const newestWindow = db.prepare('SELECT max(t) FROM prediction_logs WHERE model_ref = ?').pluck()
    const del = db.prepare(
      `DELETE FROM prediction_logs WHERE id IN (SELECT id FROM prediction_logs WHERE model_ref = ? AND t < ? LIMIT ${ROWS_PER_STEP})`,
    )
    for (const model of models) {
      const last = newestWindow.get(model) as number | null
      if (last === null) continue
      const cutoff = last - policy.predictionDays * DAY
      for (;;) {
        const n = db.transaction(() => del.run(model, cutoff).changes)()
        out.predictions += n
        if (n === 0) break
        yield
      }
    }
  }
}

function* deleteRollups(step: () => number, out: RetentionResult): Generator<void> {
  for (;;) {
    const n = step()
    out.rollups += n
    if (n < ROWS_PER_STEP) return
    yield
  }
}
