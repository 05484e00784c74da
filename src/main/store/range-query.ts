import type { Database, Statement } from 'better-sqlite3'
import type { SeriesBlock } from '../../shared/contract.ts'
import { VigilError } from '../../shared/errors.ts'
import { Q } from '../../shared/quality.ts'
import { decodeTimes, f64Of, lowerBound, u8Of } from './block-codec.ts'
import { findGridRuns, findRuns, flagRuns, foldRuns, newRuns, type Runs } from './bucket-fold.ts'
import type { RangeRequest } from './history-types.ts'
import { RollupReader } from './rollup-query.ts'
import { KEPT_LEVEL, LEVELS, chooseGrid, type Grid } from './rollup-levels.ts'
import { BLOCK_SPAN_MS } from './schema.ts'

/** A block overlapping the range, and the slice [lo, hi) of it inside the range. */
interface Hit {
  id: number
  t0: number
  t1: number
  n: number
  dt: number | null
  sealed: number
  /** Finest rollup level (interval, ms) holding the block; null: in none. */
  rolled: number | null
  times: Float64Array | null
  lo: number
  hi: number
}

export type SamplesBlock = SeriesBlock & { quality: Uint8Array[] }

/**
 * Range queries over the sample blocks and rollups, on a read-only connection. Each query
 * runs in one read transaction so it sees one snapshot while the writer commits (and swaps a
 * tail's fragments for a sealed block) beside it. Half-open: [from, to).
 *
 * Raw samples when the range holds at most maxPoints. Otherwise min/max per bucket on a grid
 * aligned to a rollup level (rollup-levels.ts chooses it): the rollup intervals inside the
 * range answer for every block folded into that level, raw samples for the rest (unsealed
 * fragments, blocks too sparse for the level) and for the partial intervals at both ends,
 * so every bucket's min/max is exactly that of the samples in it. t is each bucket's start;
 * the first may begin before `from` (samples before `from` are not in it). Before an
 * asset's retention horizon only rollups of a minute and up remain: a range reaching there
 * uses them, whole intervals included. Spans too short for the finest level keep the
 * unaligned grid of maxPoints buckets over [from, to).
 */
export class SampleReader {
  private readonly db: Database
  private readonly assetRow: Statement
  private readonly tagRows: Statement
  private readonly hits: Statement
  private readonly total: Statement
  private readonly edges: Statement
  private readonly needed: Statement
  private readonly times: Statement
  private readonly column: Statement
  private readonly summary: Statement
  private readonly rollups: RollupReader
  private readonly runs: Runs = newRuns()

  constructor(db: Database) {
    this.db = db
    this.rollups = new RollupReader(db)
    this.assetRow = db.prepare('SELECT id, raw_horizon FROM assets WHERE asset = ?').raw()
    this.tagRows = db.prepare(
      'SELECT id, tag, position FROM tags WHERE asset_id = ? ORDER BY position IS NULL, position, id',
    )
    // Blocks overlapping [from, to): t0 in [from - BLOCK_SPAN_MS, to) and t1 >= from. The
    // index time_blocks_span holds every column these filter on, so counting and choosing
    // blocks over a year of them stays inside SQLite.
    const overlap = 'FROM time_blocks WHERE asset_id = ? AND t0 >= ? AND t0 < ? AND t1 >= ?'
    const columns = 'SELECT id, t0, t1, n, dt, sealed, rolled'
    this.hits = db.prepare(`${columns} ${overlap} ORDER BY t0, id`)
    this.total = db.prepare(`SELECT coalesce(sum(n), 0) ${overlap}`).pluck()
    this.edges = db.prepare(`${columns} ${overlap} AND (t0 < ? OR t1 >= ?)`)
    // On a grid of level L: blocks not in its rollups, and those holding samples outside [a, z).
    this.needed = db.prepare(
      `${columns} ${overlap} AND (sealed = 0 OR rolled IS NULL OR rolled > ? OR t0 < ? OR t1 >= ?) ORDER BY t0, id`,
    )
    this.times = db.prepare('SELECT t FROM time_blocks WHERE id = ?').pluck()
    this.column = db.prepare('SELECT v, q FROM value_blocks WHERE block_id = ? AND tag_id = ?').raw()
    this.summary = db
      .prepare('SELECT vmin, vmax, qor FROM value_blocks WHERE block_id = ? AND tag_id = ?')
      .raw()
  }

  range(req: RangeRequest): SamplesBlock {
    return this.db.transaction(() => this.read(req))()
  }

  private read(req: RangeRequest): SamplesBlock {
    const asset = this.assetRow.get(req.assetId) as [number, number | null] | undefined
    if (asset === undefined)
      throw new VigilError('not-found', `history: no asset "${req.assetId}" in the store`)
    const [assetRow, horizon] = asset
    const tags = this.resolveTags(assetRow, req)
    const { from, to } = req
    const span = [assetRow, from - BLOCK_SPAN_MS, to, from]
    // Samples in range: all of every overlapping block, less what the edge blocks hold outside it.
    let count = this.total.get(...span) as number
    for (const h of this.slice(this.edges.all(...span, from, to) as Hit[], from, to))
      count -= h.n - (h.hi - h.lo)
    const names = tags.map((t) => t.tag)
    const beyondRaw = horizon !== null && from < horizon
    if (count <= req.maxPoints && !beyondRaw) {
      const hits = this.slice(this.hits.all(...span) as Hit[], from, to)
      return this.raw(req.assetId, names, tags, hits, count)
    }
    const grid = chooseGrid(from, to, req.maxPoints, beyondRaw ? KEPT_LEVEL : 0)
    if (!grid) return this.decimate(req, names, tags, this.slice(this.hits.all(...span) as Hit[], from, to))
    // Rollups answer whole intervals in [a, z); raw samples the partial ones at either end,
    // except where retention left no raw samples to read.
    const interval = LEVELS[grid.level]!
    const a = (beyondRaw ? Math.floor : Math.ceil)(from / interval) * interval
    const z = Math.max(
      a,
      (horizon !== null && to <= horizon ? Math.ceil : Math.floor)(to / interval) * interval,
    )
    const hits = this.slice(this.needed.all(...span, interval, a, z) as Hit[], from, to)
    return this.onGrid(req, names, tags, hits, grid, a, z)
  }

  /** Sets each block's [lo, hi) inside [from, to), decoding times only for blocks crossing an end. */
  private slice(hits: Hit[], from: number, to: number): Hit[] {
    for (const h of hits) {
      h.times = null
      if (h.t0 >= from && h.t1 < to) {
        h.lo = 0
        h.hi = h.n
      } else {
        const times = this.decode(h)
        h.lo = lowerBound(times, from)
        h.hi = lowerBound(times, to)
      }
    }
    return hits
  }

  private onGrid(
    req: RangeRequest,
    names: string[],
    tags: { id: number }[],
    hits: Hit[],
    grid: Grid,
    a: number,
    z: number,
  ): SamplesBlock {
    const w = grid.buckets
    const interval = LEVELS[grid.level]!
    const t = new Float64Array(w)
    for (let b = 0; b < w; b++) t[b] = grid.start + b * grid.width
    const lo = tags.map(() => new Float64Array(w).fill(NaN))
    const hi = tags.map(() => new Float64Array(w).fill(NaN))
    const quality = tags.map(() => new Uint8Array(w))
    for (let k = 0; k < tags.length; k++)
      this.rollups.fold(tags[k]!.id, grid, a, z, lo[k]!, hi[k]!, quality[k]!)
    const fold = (h: Hit, i: number, j: number) => {
      if (i >= j) return
      findGridRuns(this.decode(h), i, j, grid.start, grid.width, w - 1, this.runs)
      for (let k = 0; k < tags.length; k++) {
        const row = this.column.get(h.id, tags[k]!.id) as [Buffer, Buffer | null] | undefined
        if (!row) flagRuns(this.runs, Q.MISSING, quality[k]!)
        else foldRuns(f64Of(row[0]), row[1] ? u8Of(row[1]) : null, this.runs, lo[k]!, hi[k]!, quality[k]!)
      }
    }
    for (const h of hits) {
      if (h.hi === h.lo) continue
      if (h.sealed && h.rolled !== null && h.rolled <= interval) {
        // In the rollups: only its samples in the partial intervals at the ends are read.
        if (h.t0 < a) fold(h, h.lo, Math.min(h.hi, lowerBound(this.decode(h), a)))
        if (h.t1 >= z) fold(h, Math.max(h.lo, lowerBound(this.decode(h), z)), h.hi)
      } else fold(h, h.lo, h.hi)
    }
    return { assetId: req.assetId, tags: names, t, min: lo, max: hi, raw: false, quality }
  }

  private resolveTags(assetRow: number, req: RangeRequest): { id: number; tag: string }[] {
    const all = this.tagRows.all(assetRow) as { id: number; tag: string; position: number | null }[]
    if (!req.tags) {
      const current = all.filter((t) => t.position !== null)
      return current.length > 0 ? current : all
    }
    return req.tags.map((name) => {
      const row = all.find((t) => t.tag === name)
      if (!row) throw new VigilError('not-found', `history: asset "${req.assetId}" has no tag "${name}"`)
      return row
    })
  }

  private decode(h: Hit): Float64Array {
    h.times ??= decodeTimes(h.t0, h.n, h.dt, h.dt === null ? (this.times.get(h.id) as Buffer) : null)
    return h.times
  }

  private raw(
    assetId: string,
    names: string[],
    tags: { id: number }[],
    hits: Hit[],
    count: number,
  ): SamplesBlock {
    const t = new Float64Array(count)
    const values = tags.map(() => new Float64Array(count))
    const quality = tags.map(() => new Uint8Array(count))
    let o = 0
    for (const h of hits) {
      const m = h.hi - h.lo
      if (m === 0) continue
      t.set(this.decode(h).subarray(h.lo, h.hi), o)
      tags.forEach((tag, k) => {
        const row = this.column.get(h.id, tag.id) as [Buffer, Buffer | null] | undefined
        if (!row) {
          // The tag joined the configuration after this block was written.
          values[k]!.fill(NaN, o, o + m)
          quality[k]!.fill(Q.MISSING, o, o + m)
          return
        }
        values[k]!.set(f64Of(row[0]).subarray(h.lo, h.hi), o)
        if (row[1]) quality[k]!.set(u8Of(row[1]).subarray(h.lo, h.hi), o)
      })
      o += m
    }
    sortByTime(t, values, quality)
    return { assetId, tags: names, t, min: values, max: values, raw: true, quality }
  }

  private decimate(req: RangeRequest, names: string[], tags: { id: number }[], hits: Hit[]): SamplesBlock {
    const { from, to, maxPoints: w } = req
    const scale = w / (to - from)
    const bucketOf = (x: number) => Math.min(w - 1, Math.floor((x - from) * scale))
    const t = new Float64Array(w)
    for (let b = 0; b < w; b++) t[b] = from + b / scale
    const lo = tags.map(() => new Float64Array(w).fill(NaN))
    const hi = tags.map(() => new Float64Array(w).fill(NaN))
    const quality = tags.map(() => new Uint8Array(w))
    const runs = newRuns()
    for (const h of hits) {
      if (h.hi === h.lo) continue
      if (h.lo === 0 && h.hi === h.n && bucketOf(h.t0) === bucketOf(h.t1)) {
        // The whole block falls in one bucket: its stored min/max answer without its blobs.
        const b = bucketOf(h.t0)
        for (let k = 0; k < tags.length; k++) {
          const s = this.summary.get(h.id, tags[k]!.id) as [number | null, number | null, number] | undefined
          if (!s) quality[k]![b]! |= Q.MISSING
          else {
            if (s[0] !== null && !(lo[k]![b]! <= s[0])) lo[k]![b] = s[0]
            if (s[1] !== null && !(hi[k]![b]! >= s[1])) hi[k]![b] = s[1]
            quality[k]![b]! |= s[2]
          }
        }
        continue
      }
      findRuns(this.decode(h), h.lo, h.hi, from, scale, w - 1, runs)
      for (let k = 0; k < tags.length; k++) {
        const row = this.column.get(h.id, tags[k]!.id) as [Buffer, Buffer | null] | undefined
        if (!row) flagRuns(runs, Q.MISSING, quality[k]!)
        else foldRuns(f64Of(row[0]), row[1] ? u8Of(row[1]) : null, runs, lo[k]!, hi[k]!, quality[k]!)
      }
    }
    return { assetId: req.assetId, tags: names, t, min: lo, max: hi, raw: false, quality }
  }
}

/** Blocks overlap only when an import wrote older data beside live data; then sort the rows. */
function sortByTime(t: Float64Array, values: Float64Array[], quality: Uint8Array[]): void {
  let sorted = true
  for (let i = 1; i < t.length && sorted; i++) sorted = t[i - 1]! <= t[i]!
  if (sorted) return
  const order = Array.from(t.keys()).sort((a, b) => t[a]! - t[b]! || a - b)
  const permute = <A extends Float64Array | Uint8Array>(col: A) => {
    const copy = col.slice()
    order.forEach((from, to) => (col[to] = copy[from]!))
  }
  permute(t)
  values.forEach(permute)
  quality.forEach(permute)
}
