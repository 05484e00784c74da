/*
 * The two ends the import is measured between (issue 4), each in the same run as it:
 *   - naive: csv-parse row by row and one INSERT per value in autocommit, into a narrow
 *     (tag, ts, value, quality) WITHOUT ROWID table, timed on the file's first 5,000 rows
 *     (the whole file would take minutes); the same pragmas as the history's writer (WAL,
 *     synchronous NORMAL), so the difference is the approach, not the durability asked for.
 *   - ceiling: the same rows, already parsed into columns and already cut into the very
 *     block rows the store writes (times, value blobs, min/max/sum/count per tag), inserted
 *     by bare prepared statements in one transaction into the store's own schema: what
 *     SQLite costs for this layout with no parsing, validation, staging or rollups.
 *   - the ceiling with the rollup rows: the same, plus the rollup rows an import of those
 *     rows must also write (folded beforehand), as bare INSERTs in the same transaction:
 *     what SQLite alone costs for everything the import stores. Information beside the
 *     target, which stays the plain ceiling.
 */
import Database from 'better-sqlite3'
import { parse as csvParse } from 'csv-parse'
import { createReadStream, rmSync } from 'node:fs'
import { rng } from '../src/main/import/test-files.ts'
import { blobOf, blockStats, regularStep } from '../src/main/store/block-codec.ts'
import { migrate } from '../src/main/store/migrations.ts'
import { BATCH_ROWS } from '../src/main/import/row-sink.ts'
import { stagedBlockEnd } from '../src/main/store/block-writer.ts'
import { ProducerRollups } from '../src/main/store/producer-rollups.ts'
import type { PackedRollup } from '../src/main/store/rollup-codec.ts'

function openLikeTheWriter(path: string): Database.Database {
  rmSync(path, { force: true })
  rmSync(`${path}-wal`, { force: true })
  rmSync(`${path}-shm`, { force: true })
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  return db
}

/** Rows per second of the naive import over the first `prefix` data rows of `file`. */
export async function naiveRowsPerS(file: string, db: string, tags: number, prefix: number): Promise<number> {
  const conn = openLikeTheWriter(db)
  try {
    conn.exec(
      'CREATE TABLE samples (tag INTEGER NOT NULL, ts REAL NOT NULL, value REAL, quality INTEGER NOT NULL, PRIMARY KEY (tag, ts)) WITHOUT ROWID',
    )
    const insert = conn.prepare('INSERT INTO samples (tag, ts, value, quality) VALUES (?, ?, ?, ?)')
    const t = performance.now()
    const stream = createReadStream(file, { highWaterMark: 1 << 16 })
    let n = 0
    for await (const row of stream.pipe(csvParse({ from_line: 2 })) as AsyncIterable<string[]>) {
      const ts = Date.parse(`${row[0]!.replace(' ', 'T')}Z`)
      for (let k = 0; k < tags; k++) {
        const v = Number(row[k + 1])
        insert.run(k, ts, Number.isFinite(v) ? v : null, Number.isFinite(v) ? 0 : 1)
      }
      if (++n === prefix) break
    }
    const s = (performance.now() - t) / 1000
    stream.destroy()
    if (n !== prefix) throw new Error(`naive read ${n} of ${prefix} rows`)
    return n / s
  } finally {
    conn.close()
    rmSync(db, { force: true })
  }
}

interface Block {
  t0: number
  t1: number
  n: number
  dt: number | null
  t: Buffer | null
  cols: { nvalid: number; vmin: number; vmax: number; vsum: number; v: Buffer }[]
}

/** The columns writeSensorCsv(file, rows, tags, t0, seed) holds, from the same generator (values rounded as the file prints them). */
function ceilingColumns(rows: number, tags: number, t0: number, seed: number) {
  const r = rng(seed)
  const t = new Float64Array(rows)
  const v = Array.from({ length: tags }, () => new Float64Array(rows))
  for (let i = 0; i < rows; i++) {
    t[i] = t0 + i * 1000
    for (let k = 0; k < tags; k++) v[k]![i] = Number((k * 10 + r() * 5).toFixed(3))
  }
  return { t, v }
}

/**
 * The block rows of those columns, ready to insert, cut as the store cuts them (at most
 * BLOCK_SAMPLES samples within BLOCK_SPAN_MS: 3,600 at 1 Hz; until stop 16 the ceiling cut
 * 4,096, blocks the store never writes, ~12 % fewer rows for the same bytes).
 */
export function ceilingBlocks(rows: number, tags: number, t0: number, seed: number): Block[] {
  const { t, v } = ceilingColumns(rows, tags, t0, seed)
  const stats = { nvalid: 0, vmin: 0, vmax: 0, vsum: 0, qor: 0 }
  const blocks: Block[] = []
  for (let i = 0; i < rows;) {
    const end = stagedBlockEnd(t, i)
    const dt = regularStep(t, i, end)
    blocks.push({
      t0: t[i]!,
      t1: t[end - 1]!,
      n: end - i,
      dt,
      t: dt === null ? blobOf(t, i, end) : null,
      cols: v.map((col) => ({ ...blockStats(col, null, i, end, stats), v: blobOf(col, i, end) })),
    })
    i = end
  }
  return blocks
}

/** The rollup rows of those columns, folded as an import folds them, ready to insert. */
export function ceilingRollups(rows: number, tags: number, t0: number, seed: number): PackedRollup[] {
  const { t, v } = ceilingColumns(rows, tags, t0, seed)
  const folder = new ProducerRollups()
  const q = v.map(() => new Uint8Array(rows))
  const out: PackedRollup[] = []
  // In the import's batches, so every row is packed once, when it closes (bare INSERTs cannot merge).
  for (let i = 0; i < rows; i += BATCH_ROWS) {
    const end = Math.min(rows, i + BATCH_ROWS)
    const cut = <T extends Float64Array | Uint8Array>(a: T) => a.subarray(i, end) as T
    out.push(...folder.fold(cut(t), v.map(cut), q.map(cut)))
  }
  return [...out, ...folder.rest()]
}

/**
 * Rows per second of inserting `blocks` into a fresh history file: one transaction, bare
 * statements. With `rollups`, their rows go in too (the tag of column k is the k-th made).
 */
export function ceilingRowsPerS(blocks: Block[], db: string, tags: number, rollups?: PackedRollup[]): number {
  const conn = openLikeTheWriter(db)
  try {
    migrate(conn)
    const asset = conn
      .prepare("INSERT INTO assets (asset, name, class) VALUES ('c', 'c', 'other') RETURNING id")
      .pluck()
      .get() as number
    const insTag = conn
      .prepare("INSERT INTO tags (asset_id, tag, unit, position) VALUES (?, ?, '', ?) RETURNING id")
      .pluck()
    const tagRows = Array.from({ length: tags }, (_, k) => insTag.get(asset, `s${k}`, k) as number)
    const insTime = conn.prepare(
      'INSERT INTO time_blocks (asset_id, t0, t1, n, dt, t, sealed, rolled) VALUES (?, ?, ?, ?, ?, ?, 1, NULL)',
    )
    const insValue = conn.prepare(
      'INSERT INTO value_blocks (block_id, tag_id, nvalid, vmin, vmax, vsum, qor, v, q) VALUES (?, ?, ?, ?, ?, ?, 0, ?, NULL)',
    )
    const insRollup = conn.prepare(
      'INSERT INTO rollups (tag_id, level, t0, i0, n, mm, agg) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    const blob = (a: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)
    const t = performance.now()
    let rows = 0
    conn.transaction(() => {
      for (const r of rollups ?? [])
        insRollup.run(tagRows[r.column], r.interval, r.t0, r.i0, r.n, blob(r.mm), blob(r.agg))
      for (const b of blocks) {
        const id = insTime.run(asset, b.t0, b.t1, b.n, b.dt, b.t).lastInsertRowid
        for (let k = 0; k < tags; k++) {
          const c = b.cols[k]!
          insValue.run(id, tagRows[k], c.nvalid, c.vmin, c.vmax, c.vsum, c.v)
        }
        rows += b.n
      }
    })()
    return rows / ((performance.now() - t) / 1000)
  } finally {
    conn.close()
    rmSync(db, { force: true })
  }
}
