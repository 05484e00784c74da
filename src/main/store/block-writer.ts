import type { Database, Statement } from 'better-sqlite3'
import { blobOf, blockStats, decodeTimes, f64Of, regularStep, u8Of, type BlockStats } from './block-codec.ts'
import { LEVELS, finestLevel } from './rollup-levels.ts'
import type { RollupWriter } from './rollup-writer.ts'
import { BLOCK_SAMPLES, BLOCK_SPAN_MS } from './schema.ts'

/** One asset's open block, in memory; `frags` are the unsealed rows already holding parts of it. */
interface Tail {
  t: Float64Array
  v: Float64Array[]
  q: Uint8Array[]
  n: number
  /** Samples [0, written) are in the file, as the fragments. */
  written: number
  frags: { id: number; start: number }[]
}

export interface AssetSlot {
  assetRow: number
  /** Row ids of the asset's tags, in the order of a SampleBatch's columns. */
  tagRows: number[]
  tail: Tail
}

export function newSlot(assetRow: number, tagRows: number[]): AssetSlot {
  const tail: Tail = {
    t: new Float64Array(BLOCK_SAMPLES),
    v: tagRows.map(() => new Float64Array(BLOCK_SAMPLES)),
    q: tagRows.map(() => new Uint8Array(BLOCK_SAMPLES)),
    n: 0,
    written: 0,
    frags: [],
  }
  return { assetRow, tagRows, tail }
}

/**
 * Turns sample columns into blocks. Every method writes, so runs inside the caller's
 * transaction. A tail's fragments are merged like a binary counter (a fragment absorbs the
 * previous one when that is no larger), so an hour of 1 Hz commits leaves ~12 rows for a
 * reader to visit instead of 3600, at the price of each sample being rewritten ~log2(n) times
 * before its block is sealed.
 */
export class BlockWriter {
  private readonly insTime: Statement
  private readonly insValue: Statement
  private readonly delValues: Statement
  private readonly delTime: Statement
  private readonly stats: BlockStats = { nvalid: 0, vmin: 0, vmax: 0, vsum: 0, qor: 0 }
  private readonly db: Database
  private readonly rollups: RollupWriter | null

  /** Without `rollups`, sealed blocks are left for RollupWriter.backfill (as a file from before rollups). */
  constructor(db: Database, rollups: RollupWriter | null = null) {
    this.db = db
    this.rollups = rollups
    this.insTime = db.prepare(
      'INSERT INTO time_blocks (asset_id, t0, t1, n, dt, t, sealed, rolled) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    )
    this.insValue = db.prepare(
      'INSERT INTO value_blocks (block_id, tag_id, nvalid, vmin, vmax, vsum, qor, v, q) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    )
    this.delValues = db.prepare('DELETE FROM value_blocks WHERE block_id = ?')
    this.delTime = db.prepare('DELETE FROM time_blocks WHERE id = ?')
  }

  /** Adds ascending samples; a batch older than the tail (an import) becomes blocks of its own. */
  append(slot: AssetSlot, t: Float64Array, values: Float64Array[], quality: Uint8Array[] | undefined): void {
    const tail = slot.tail
    const len = t.length
    if (len === 0) return
    if (tail.n > 0 && t[0]! < tail.t[tail.n - 1]!) {
      for (let i = 0; i < len;) {
        i = this.insertBlock(slot, t, values, quality ?? null, i, stagedBlockEnd(t, i), 1).end
      }
      return
    }
    let i = 0
    while (i < len) {
      if (tail.n > 0 && (tail.n === BLOCK_SAMPLES || t[i]! - tail.t[0]! > BLOCK_SPAN_MS)) this.seal(slot)
      const j = chunkEnd(t, i, i + BLOCK_SAMPLES - tail.n, tail.n > 0 ? tail.t[0]! : t[i]!)
      tail.t.set(t.subarray(i, j), tail.n)
      for (let k = 0; k < tail.v.length; k++) {
        tail.v[k]!.set(values[k]!.subarray(i, j), tail.n)
        const q = quality?.[k]
        if (q) tail.q[k]!.set(q.subarray(i, j), tail.n)
        else tail.q[k]!.fill(0, tail.n, tail.n + j - i)
      }
      tail.n += j - i
      i = j
    }
    if (tail.n === BLOCK_SAMPLES) this.seal(slot)
  }

  /**
   * Writes ascending samples as unsealed blocks of their own, beside any tail: an import's
   * staging (import-stage.ts seals them when the import commits), cut by stagedBlockEnd.
   * With `rollups` (the stage's own), the blocks are folded into it as they are written and
   * their `rolled` set; 'folded': the producer folded them already (producer-rollups.ts), so
   * only `rolled` is set.
   */
  insertStaged(
    slot: Pick<AssetSlot, 'assetRow' | 'tagRows'>,
    t: Float64Array,
    values: Float64Array[],
    quality: Uint8Array[],
    rollups: RollupWriter | 'folded' | null = null,
  ): void {
    for (let i = 0; i < t.length;)
      i = this.insertBlock(slot as AssetSlot, t, values, quality, i, stagedBlockEnd(t, i), 0, rollups).end
  }

  /** Makes what the tail holds beyond its fragments visible, merging fragments as it goes. */
  commitTail(slot: AssetSlot): void {
    const tail = slot.tail
    if (tail.n === tail.written) return
    let start = tail.written
    let k = tail.frags.length
    while (k > 0 && start - tail.frags[k - 1]!.start <= tail.n - start) start = tail.frags[--k]!.start
    for (const f of tail.frags.splice(k)) this.deleteBlock(f.id)
    const { id } = this.insertBlock(slot, tail.t, tail.v, tail.q, start, tail.n, 0)
    tail.frags.push({ id, start })
    tail.written = tail.n
  }

  /** Picks up the open block a previous run left unsealed; anything unusual is sealed as it is. */
  loadTail(slot: AssetSlot): void {
    const rows = this.db
      .prepare(
        'SELECT id, t0, t1, n, dt, t FROM time_blocks WHERE asset_id = ? AND sealed = 0 ORDER BY t0, id',
      )
      .all(slot.assetRow) as {
      id: number
      t0: number
      t1: number
      n: number
      dt: number | null
      t: Buffer | null
    }[]
    if (rows.length === 0) return
    const columns = this.db.prepare('SELECT tag_id, v, q FROM value_blocks WHERE block_id = ?')
    const blocks = rows.map((r) => ({
      ...r,
      cols: columns.all(r.id) as { tag_id: number; v: Buffer; q: Buffer | null }[],
    }))
    const tagsMatch = (cols: { tag_id: number }[]) =>
      cols.length === slot.tagRows.length && cols.every((c) => slot.tagRows.includes(c.tag_id))
    const fits =
      rows.reduce((s, r) => s + r.n, 0) <= BLOCK_SAMPLES &&
      rows[rows.length - 1]!.t1 - rows[0]!.t0 <= BLOCK_SPAN_MS &&
      rows.every((r, i) => i === 0 || r.t0 >= rows[i - 1]!.t1) &&
      blocks.every((b) => tagsMatch(b.cols))
    if (!fits) {
      // A changed tag list or overlapping fragments: they stay readable as ordinary blocks.
      this.db
        .prepare('UPDATE time_blocks SET sealed = 1 WHERE asset_id = ? AND sealed = 0')
        .run(slot.assetRow)
      return
    }
    const tail = slot.tail
    for (const b of blocks) {
      tail.t.set(decodeTimes(b.t0, b.n, b.dt, b.t), tail.n)
      for (const c of b.cols) {
        const k = slot.tagRows.indexOf(c.tag_id)
        tail.v[k]!.set(f64Of(c.v), tail.n)
        if (c.q) tail.q[k]!.set(u8Of(c.q), tail.n)
        else tail.q[k]!.fill(0, tail.n, tail.n + b.n)
      }
      tail.frags.push({ id: b.id, start: tail.n })
      tail.n += b.n
    }
    tail.written = tail.n
  }

  private seal(slot: AssetSlot): void {
    const tail = slot.tail
    this.insertBlock(slot, tail.t, tail.v, tail.q, 0, tail.n, 1)
    for (const f of tail.frags) this.deleteBlock(f.id)
    tail.n = tail.written = 0
    tail.frags = []
  }

  private deleteBlock(id: number): void {
    this.delValues.run(id)
    this.delTime.run(id)
  }

  private insertBlock(
    slot: AssetSlot,
    t: Float64Array,
    v: Float64Array[],
    q: Uint8Array[] | null,
    start: number,
    end: number,
    sealed: 0 | 1,
    rollups: RollupWriter | 'folded' | null = sealed ? this.rollups : null,
  ): { id: number; end: number } {
    const dt = regularStep(t, start, end)
    const times = dt === null ? blobOf(t, start, end) : null
    const finest = rollups ? finestLevel(t, start, end) : -1
    const fold = rollups === 'folded' ? null : rollups
    const rolled = finest >= 0 ? LEVELS[finest] : null
    const info = this.insTime.run(slot.assetRow, t[start], t[end - 1], end - start, dt, times, sealed, rolled)
    const id = Number(info.lastInsertRowid)
    for (let k = 0; k < slot.tagRows.length; k++) {
      const qk = q?.[k] ?? null
      if (fold) fold.foldTag(slot.tagRows[k]!, t, v[k]!, qk, start, end, finest)
      const s = blockStats(v[k]!, qk, start, end, this.stats)
      const has = s.nvalid > 0
      const qBlob = s.qor !== 0 ? blobOf(qk!, start, end) : null
      const vBlob = blobOf(v[k]!, start, end)
      this.insValue.run(
        id,
        slot.tagRows[k],
        s.nvalid,
        has ? s.vmin : null,
        has ? s.vmax : null,
        s.vsum,
        s.qor,
        vBlob,
        qBlob,
      )
    }
    return { id, end }
  }
}

/**
 * Where the staged block starting at t[i] ends: BLOCK_SAMPLES samples or one span of time.
 * A producer that folds its own rollups cuts its batches the same way, so each block's
 * `rolled` level is the one its samples were folded from.
 */
export function stagedBlockEnd(t: Float64Array, i: number): number {
  return chunkEnd(t, i, i + BLOCK_SAMPLES, t[i]!)
}

/** End of the run from `from` (at least one sample, at most up to `cap`) that stays within one span of t0. */
function chunkEnd(t: Float64Array, from: number, cap: number, t0: number): number {
  const end = Math.min(t.length, cap)
  const limit = t0 + BLOCK_SPAN_MS
  let j = from + 1
  while (j < end && t[j]! <= limit) j++
  return j
}
