/*
 * range_query: a month of 10 tags at 1 Hz (~26M values) decimated to 2,000 points, against
 *   - naive: read every block's value BLOBs for the range and bucket each sample in JS (the
 *     honest naive reading of the blocked layout: no rollups, no block summaries);
 *   - narrow: the same per-sample work from a narrow (tag, ts, value) table, measured on a
 *     6-hour prefix and scaled to the month (a full month would take minutes to build);
 *   - in-memory: a min/max scan of the same samples held in Float64Arrays (the floor for any
 *     method that looks at every sample).
 * Plus the file's bytes per stored value, rollups included.
 */
import Database from 'better-sqlite3'
import { statSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { decodeTimes, f64Of } from '../src/main/store/block-codec.ts'
import { openStore } from '../src/main/store/store.ts'
import { pumpAsset } from '../src/main/store/test-plant.ts'
import { figure, interleaved, join, rng, type Bench } from './harness.ts'

const DAY = 86_400_000
const TAGS = 10
const POINTS = 2000
const T0 = Date.UTC(2025, 0, 1)

/** One day of 1 Hz samples per tag: a slow wave, noise, and rare one-sample spikes. */
function makeDay(day: number, rand: () => number): { t: Float64Array; v: Float64Array[] } {
  const n = DAY / 1000
  const t = new Float64Array(n)
  for (let i = 0; i < n; i++) t[i] = T0 + day * DAY + i * 1000
  const v = Array.from({ length: TAGS }, (_, k) => {
    const col = new Float64Array(n)
    const base = 50 + 10 * k
    for (let i = 0; i < n; i++) {
      const s = day * n + i
      col[i] = base + 5 * Math.sin(s / (3600 + 600 * k)) + (rand() - 0.5)
      if (rand() < 2e-5) col[i] = base + (rand() < 0.5 ? -1 : 1) * (40 + 20 * rand())
    }
    return col
  })
  return { t, v }
}

/** Min/max per bucket of [from, to) in w buckets, over every sample (STYLE.md's bucketMinMax). */
function bucketMinMax(
  t: Float64Array,
  v: Float64Array,
  from: number,
  to: number,
  lo: Float64Array,
  hi: Float64Array,
) {
  const last = lo.length - 1
  const scale = lo.length / (to - from)
  for (let i = 0; i < t.length; i++) {
    const ti = t[i]!
    if (ti < from || ti >= to) continue
    const x = v[i]!
    if (x !== x) continue
    const b = Math.min(last, ((ti - from) * scale) | 0)
    if (!(lo[b]! <= x)) lo[b] = x
    if (!(hi[b]! >= x)) hi[b] = x
  }
}

const bench: Bench = {
  name: 'range_query',
  quick: true,
  async run({ quick, seed, dir, log }) {
    const days = quick ? 5 : 30
    const asset = pumpAsset(
      'P-101',
      Array.from({ length: TAGS }, (_, k) => `Tag_${k}`),
    )
    const path = join(dir, 'history.db')
    const rand = rng(seed)
    const memT: Float64Array[] = []
    const memV: Float64Array[][] = Array.from({ length: TAGS }, () => [])
    const store = await openStore({ path, assets: [asset] })
    let started = performance.now()
    for (let d = 0; d < days; d++) {
      const { t, v } = makeDay(d, rand)
      memT.push(t.slice())
      v.forEach((c, k) => memV[k]!.push(c.slice()))
      store.writeSamples({ assetId: asset.id, t, values: v })
    }
    await store.flush()
    const values = days * 86_400 * TAGS
    log(
      `wrote ${days} days x ${TAGS} tags (${(values / 1e6).toFixed(1)}M values) in ${((performance.now() - started) / 1000).toFixed(1)} s, rollups included`,
    )
    const from = T0
    const to = T0 + days * DAY

    // Naive over the blocked layout: every value blob of the range, every sample bucketed.
    const db = new Database(path, { readonly: true })
    const blocks = db.prepare(
      `SELECT b.t0, b.n, b.dt, b.t, v.v FROM time_blocks b JOIN value_blocks v ON v.block_id = b.id
       JOIN tags g ON g.id = v.tag_id WHERE g.tag = ? AND b.t0 >= ? AND b.t0 < ? ORDER BY b.t0`,
    )
    const naive = () => {
      const s = performance.now()
      for (let k = 0; k < TAGS; k++) {
        const lo = new Float64Array(POINTS).fill(NaN)
        const hi = new Float64Array(POINTS).fill(NaN)
        for (const r of blocks.iterate(`Tag_${k}`, from - 3_600_000, to) as Iterable<{
          t0: number
          n: number
          dt: number | null
          t: Buffer | null
          v: Buffer
        }>)
          bucketMinMax(decodeTimes(r.t0, r.n, r.dt, r.t), f64Of(r.v), from, to, lo, hi)
      }
      return performance.now() - s
    }
    const memory = () => {
      const s = performance.now()
      for (let k = 0; k < TAGS; k++) {
        const lo = new Float64Array(POINTS).fill(NaN)
        const hi = new Float64Array(POINTS).fill(NaN)
        for (let d = 0; d < days; d++) bucketMinMax(memT[d]!, memV[k]![d]!, from, to, lo, hi)
      }
      return performance.now() - s
    }
    let answer: Awaited<ReturnType<typeof store.range>> | null = null
    const candidate = async () => {
      const s = performance.now()
      answer = await store.range({ assetId: asset.id, from, to, maxPoints: POINTS })
      return performance.now() - s
    }
    // Warm-up, as for any query a user repeats: the JIT has compiled the readers, and every
    // side reads from the OS page cache (the naive side too: the whole file fits in memory).
    for (let i = 0; i < 5; i++) await candidate()
    naive()
    memory()
    const m = await interleaved({ candidate, naive, memory })
    log(
      `runs (ms): ${JSON.stringify(m.runs, (_k, x: unknown) => (typeof x === 'number' ? +x.toFixed(2) : x))}`,
    )

    // Spikes survive: the decimated series holds the raw extremes of every tag.
    const got = answer!
    for (let k = 0; k < TAGS; k++) {
      let lo = Infinity
      let hi = -Infinity
      for (const col of memV[k]!)
        for (const x of col) {
          lo = Math.min(lo, x)
          hi = Math.max(hi, x)
        }
      const dlo = Math.min(...got.min[k]!.filter((x) => x === x))
      const dhi = Math.max(...got.max[k]!.filter((x) => x === x))
      if (dlo !== lo || dhi !== hi)
        throw new Error(`Tag_${k}: decimated extremes ${dlo}..${dhi} differ from raw ${lo}..${hi}`)
    }
    log(
      `answer: ${got.t.length} buckets of ${(got.t[1]! - got.t[0]!) / 60_000} min (maxPoints ${POINTS}); raw extremes kept for all ${TAGS} tags`,
    )

    // Narrow table on a 6-hour prefix, scaled to the whole range.
    const narrowPath = join(dir, 'narrow.db')
    const nd = new Database(narrowPath)
    nd.pragma('journal_mode = WAL')
    nd.exec('CREATE TABLE samples (tag INTEGER, ts REAL, value REAL, PRIMARY KEY (tag, ts)) WITHOUT ROWID')
    const prefix = 6 * 3600
    const ins = nd.prepare('INSERT INTO samples VALUES (?, ?, ?)')
    started = performance.now()
    nd.transaction(() => {
      for (let k = 0; k < TAGS; k++) for (let i = 0; i < prefix; i++) ins.run(k, memT[0]![i], memV[k]![0]![i])
    })()
    log(
      `narrow table: ${prefix * TAGS} rows inserted in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    )
    const sel = nd
      .prepare('SELECT ts, value FROM samples WHERE tag = ? AND ts >= ? AND ts < ? ORDER BY ts')
      .raw()
    const pTo = T0 + prefix * 1000
    const narrow = () => {
      const s = performance.now()
      for (let k = 0; k < TAGS; k++) {
        const lo = new Float64Array(POINTS).fill(NaN)
        const hi = new Float64Array(POINTS).fill(NaN)
        const scale = POINTS / (pTo - from)
        for (const [ts, x] of sel.iterate(k, from, pTo) as Iterable<[number, number]>) {
          const b = Math.min(POINTS - 1, ((ts - from) * scale) | 0)
          if (!(lo[b]! <= x)) lo[b] = x
          if (!(hi[b]! >= x)) hi[b] = x
        }
      }
      return ((performance.now() - s) * (to - from)) / (pTo - from)
    }
    const nm = await interleaved({ candidate, narrow })
    nd.close()

    const rollupBytes = db
      .prepare('SELECT coalesce(sum(length(mm) + length(agg)), 0) FROM rollups')
      .pluck()
      .get() as number
    db.close()
    await store.close()
    const bytes = statSync(path).size
    log(
      `file ${(bytes / 2 ** 20).toFixed(1)} MiB; rollup blobs ${(rollupBytes / 2 ** 20).toFixed(1)} MiB (${(rollupBytes / values).toFixed(2)} bytes/value)`,
    )

    const span = `${days} d x ${TAGS} tags -> ${POINTS} pts`
    return [
      figure({
        name: 'range_query.vs_naive',
        value: m.candidate,
        unit: 'ms',
        baseline: `naive: all value BLOBs of ${span}, bucketed in JS`,
        baseline_value: m.naive,
        // The target is for the month; --quick's 5 days give the naive side less to read.
        ...(quick ? {} : { target: 'ratio <= 0.005 (>= 200x faster)', check: (f) => f.ratio <= 0.005 }),
      }),
      figure({
        name: 'range_query.vs_memory_scan',
        value: m.candidate,
        unit: 'ms',
        baseline: `in-memory Float64Array min/max scan of ${span}`,
        baseline_value: m.memory,
        target: 'ratio <= 0.35',
        check: (f) => f.ratio <= 0.35,
      }),
      figure({
        name: 'range_query.frame_budget',
        value: m.candidate,
        unit: 'ms',
        baseline: 'one 60 Hz frame',
        baseline_value: 16.7,
        target: 'value <= 16.7 ms',
        check: (f) => f.value <= 16.7,
      }),
      figure({
        name: 'range_query.vs_narrow_table',
        value: nm.candidate,
        unit: 'ms',
        baseline: `narrow (tag, ts, value) table, all rows + JS buckets, 6 h measured, scaled to ${days} d`,
        baseline_value: nm.narrow,
      }),
      figure({
        name: 'range_query.storage',
        value: bytes / values,
        unit: 'bytes/value',
        baseline: 'a raw double',
        baseline_value: 8,
        target: 'value <= 12 (rollups included)',
        check: (f) => f.value <= 12,
      }),
    ]
  },
}
export default bench
