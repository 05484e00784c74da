import { stagedBlockEnd } from './block-writer.ts'
import { RollupCache, type CachedRow } from './rollup-cache.ts'
import { INTERVAL_BYTES, packIntervals, type PackedRollup } from './rollup-codec.ts'
import { LEVELS, finestLevel } from './rollup-levels.ts'

/**
 * Most rows open at once: one per tag and level for a file of up to ~45 tags; a wider file
 * ships its rows early, as more deltas, instead of holding ~30 KB per row.
 */
const MAX_OPEN_ROWS = 512

/**
 * An import's rollups, folded on its parsing thread rather than the history writer's. The
 * writer is the import's critical path: it was busy all through an import, and folding 10
 * million values into the rollup levels was about a third of its time (bench/import). A
 * parsing thread folds each batch it sends, cut into blocks exactly as the writer will cut it
 * (stagedBlockEnd), so every block's `rolled` level is the one its samples were folded from,
 * and ships the rows its batches closed with the batch, packed as the table stores them. The
 * writer stores those, merging only rows another range of the file also reached
 * (RollupWriter.writeDelta), in the batch's own transaction. Rows still open when the file
 * ends go in one last message (rest), before the import commits.
 */
export class ProducerRollups extends RollupCache {
  private readonly out: PackedRollup[] = []

  constructor(maxOpenRows = MAX_OPEN_ROWS) {
    super(maxOpenRows)
  }

  /** Folds one batch (its columns in the stage's tag order); returns the rows it closed. */
  fold(t: Float64Array, values: Float64Array[], quality: Uint8Array[]): PackedRollup[] {
    if (t.length === 0) return []
    for (let i = 0; i < t.length;) {
      const end = stagedBlockEnd(t, i)
      const finest = finestLevel(t, i, end)
      for (let k = 0; k < values.length; k++)
        this.foldTag(k, t, values[k]!, quality[k] ?? null, i, end, finest)
      i = end
    }
    // Batches are ascending: no later one reaches back into a row that ends by this one's last time.
    this.takeClosed(t[t.length - 1]!, (row) => this.pack(row))
    return this.out.splice(0)
  }

  /** Every row still open: what the last message carries. */
  rest(): PackedRollup[] {
    this.packAll()
    return this.out.splice(0)
  }

  protected created(): void {
    // A delta starts empty: the writer merges it into whatever the row holds.
  }

  /** Too many open rows: they go out with the next batch as they are (deltas merge), and start again. */
  protected full(): void {
    this.packAll()
  }

  private packAll(): void {
    for (const [key, row] of this.rows) {
      this.pack(row)
      this.forget(key, row)
    }
  }

  private pack(row: CachedRow): void {
    if (!row.dirty) return
    const n = row.hi - row.lo
    // Each row gets buffers of its own: they are transferred to the writer, not copied.
    const [mm, agg] = packIntervals(row.ivs, row.lo, row.hi, new ArrayBuffer(n * INTERVAL_BYTES + 8))
    const interval = LEVELS[row.level]!
    this.out.push({ column: row.tag, interval, t0: row.ivs.first * interval, i0: row.lo, n, mm, agg })
  }
}
