/*
 * import: a 10-sensor log imported into a fresh history file, end to end (detection, the
 * parsing thread, staged writes, the commit), against
 *   - naive: csv-parse 7.0.3 + Number() on the main thread, batches of 32,768 rows written
 *     with the store's own writeSamples (the same writer, blocks and transactions: only the
 *     parsing and the staging differ), flushed each batch so its memory stays bounded too.
 * And the import's memory on a big file (quick: 500k rows, ~42 MB; full: 10M rows, ~850 MB),
 * each import in a child process so nothing else counts: peak RSS against the peak of the
 * same import of a 10,000-row file, which is the fixed cost (Node, three threads, SQLite).
 * Bounded memory means the big file costs about the same; `of limit` shows RSS against the
 * file's size, which a reader holding the file would need at least.
 */
import { parse as csvParse } from 'csv-parse'
import { execFile } from 'node:child_process'
import { createReadStream, rmSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { AssetConfig } from '../src/shared/plant.ts'
import { detectFile } from '../src/main/import/detect.ts'
import { ImportJob } from '../src/main/import/import-job.ts'
import { suggestMapping } from '../src/main/import/mapping.ts'
import { writeSensorCsv } from '../src/main/import/test-files.ts'
import { openStore } from '../src/main/store/store.ts'
import { figure, interleaved, join, type Bench } from './harness.ts'

const TAGS = 10
const BATCH = 32_768
const T0 = Date.UTC(2025, 0, 1)
const here = dirname(fileURLToPath(import.meta.url))

const asset = AssetConfig.parse({
  id: 'naive',
  name: 'naive',
  class: 'other',
  tags: Array.from({ length: TAGS }, (_, k) => ({ id: `s${k}`, unit: '', min: -1e9, max: 1e9 })),
  source: { kind: 'simulator', model: 'pump' },
})

async function vigil(file: string, db: string, rows: number): Promise<number> {
  rmSync(db, { force: true })
  const store = await openStore({ path: db, assets: [] })
  try {
    const t = performance.now()
    const d = await detectFile(file)
    const mapping = suggestMapping({
      shape: d.shape,
      assetId: 'v',
      asset: null,
      format: d.format,
      time: d.guess.time,
      columns: d.columns,
    })
    const job = new ImportJob({
      file,
      mapping,
      onBadRow: 'skip',
      store,
      configured: null,
      reportsDir: join(dirname(db), 'r'),
      mappings: null,
    })
    const report = await job.done
    if (report.rows !== rows)
      throw new Error(`vigil imported ${report.rows} of ${rows} rows: ${report.message}`)
    return rows / ((performance.now() - t) / 1000)
  } finally {
    await store.close()
    rmSync(db, { force: true })
  }
}

async function naive(file: string, db: string, rows: number): Promise<number> {
  rmSync(db, { force: true })
  const store = await openStore({ path: db, assets: [asset] })
  try {
    const t = performance.now()
    let n = 0
    let total = 0
    let times = new Float64Array(BATCH)
    let values = Array.from({ length: TAGS }, () => new Float64Array(BATCH))
    const write = async () => {
      store.writeSamples({
        assetId: 'naive',
        t: times.subarray(0, n),
        values: values.map((v) => v.subarray(0, n)),
      })
      await store.flush()
      total += n
      n = 0
      times = new Float64Array(BATCH)
      values = values.map(() => new Float64Array(BATCH))
    }
    for await (const row of createReadStream(file, { highWaterMark: 1 << 20 }).pipe(
      csvParse({ from_line: 2 }),
    ) as AsyncIterable<string[]>) {
      times[n] = Date.parse(`${row[0]!.replace(' ', 'T')}Z`)
      for (let k = 0; k < TAGS; k++) values[k]![n] = Number(row[k + 1])
      if (++n === BATCH) await write()
    }
    if (n > 0) await write()
    if (total !== rows) throw new Error(`naive imported ${total} of ${rows} rows`)
    return rows / ((performance.now() - t) / 1000)
  } finally {
    await store.close()
    rmSync(db, { force: true })
  }
}

const bench: Bench = {
  name: 'import',
  quick: true,
  async run(opts) {
    const rows = opts.quick ? 200_000 : 1_000_000
    const file = join(opts.dir, 'sensors.csv')
    writeSensorCsv(file, rows, TAGS, T0, opts.seed)
    const db = join(opts.dir, 'history.db')
    const r = await interleaved({ vigil: () => vigil(file, db, rows), naive: () => naive(file, db, rows) })
    opts.log(
      `${rows} rows x ${TAGS} sensors: vigil ${Math.round(r.vigil)} rows/s, naive ${Math.round(r.naive)} rows/s`,
    )
    rmSync(file)

    const rss = async (n: number) => {
      const csv = join(opts.dir, `rss-${n}.csv`)
      writeSensorCsv(csv, n, TAGS, T0, opts.seed)
      const bytes = statSync(csv).size
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [join(here, 'import-rss.ts'), csv, join(opts.dir, `rss-${n}.db`)],
        {
          maxBuffer: 1 << 20,
        },
      )
      rmSync(csv)
      const m = JSON.parse(stdout.trim().split('\n').pop()!) as {
        rows: number
        ms: number
        peakRss: number
        peakWorkerBytes: number
      }
      if (m.rows !== n) throw new Error(`the import of ${n} rows read ${m.rows}`)
      return { ...m, bytes }
    }
    const bigRows = opts.quick ? 500_000 : 10_000_000
    const small = await rss(10_000)
    const big = await rss(bigRows)
    const mib = (x: number) => x / 2 ** 20
    opts.log(
      `${bigRows} rows (${mib(big.bytes).toFixed(0)} MiB): ${Math.round(big.rows / (big.ms / 1000))} rows/s, peak RSS ${mib(big.peakRss).toFixed(0)} MiB (10,000 rows: ${mib(small.peakRss).toFixed(0)} MiB), parsing thread ${mib(big.peakWorkerBytes).toFixed(0)} MiB`,
    )
    return [
      figure({
        name: 'import.rows_per_s',
        value: r.vigil,
        unit: 'rows/s',
        baseline: 'csv-parse + Number() + store.writeSamples',
        baseline_value: r.naive,
        target: 'ratio > 1',
        check: (f) => f.ratio > 1,
      }),
      figure({
        name: `import.peak_rss_${bigRows / 1e6}M_rows`,
        value: mib(big.peakRss),
        unit: 'MiB',
        baseline: 'the same import of 10,000 rows',
        baseline_value: mib(small.peakRss),
        limit: mib(big.bytes),
        target: 'ratio <= 2 (memory does not grow with the file)',
        check: (f) => f.ratio <= 2,
      }),
    ]
  },
}
export default bench
