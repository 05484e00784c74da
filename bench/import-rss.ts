/*
 * Run by import.bench.ts in a child process, so its peak memory is the import's alone:
 *   node bench/import-rss.ts FILE DB
 * imports FILE into a new asset of DB and prints one JSON line: rows, ms, peak RSS, and the
 * parsing thread's own peak (heap + buffers).
 */
import { dirname, join } from 'node:path'
import { detectFile } from '../src/main/import/detect.ts'
import { ImportJob } from '../src/main/import/import-job.ts'
import { suggestMapping } from '../src/main/import/mapping.ts'
import { openStore } from '../src/main/store/store.ts'
import { peakRss } from './harness.ts'

const [file, db] = process.argv.slice(2)
if (!file || !db) throw new Error('usage: node bench/import-rss.ts FILE DB')
const store = await openStore({ path: db, assets: [] })
const d = await detectFile(file)
const mapping = suggestMapping({
  shape: d.shape,
  assetId: 'big',
  asset: null,
  format: d.format,
  time: d.guess.time,
  columns: d.columns,
})
const t = performance.now()
const job = new ImportJob({
  file,
  mapping,
  onBadRow: 'skip',
  store,
  configured: null,
  reportsDir: join(dirname(db), 'reports'),
  mappings: null,
})
const report = await job.done
const ms = performance.now() - t
await store.close()
if (report.state !== 'done') throw new Error(`import ${report.state}: ${report.message}`)
console.log(
  JSON.stringify({
    rows: report.rows,
    ms,
    peakRss: peakRss(),
    peakWorkerBytes: job.peakWorkerBytes,
  }),
)
