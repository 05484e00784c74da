/*
 * `npm run bench` runs every benchmark, `npm run bench -- NAME [NAME...]` the named ones,
 * `npm run bench -- --quick` the ones marked quick (CI; under 3 minutes in all), `--seed N`
 * changes the generated data, `--soak` runs the long runs instead (`npm run bench -- load --soak`:
 * 30 minutes at the default load). Prints the machine and a table; bench/results.json keeps the
 * latest figures of every benchmark, each with when and how it was measured: a run replaces its
 * own benchmarks' figures (a failed benchmark is listed under "errors", the rest still run).
 *
 * Adding a benchmark: create bench/<name>.bench.ts with a default export
 *   const bench: Bench = { name: '<name>', quick: true, async run(opts) { ...; return [figure({...})] } }
 *   export default bench
 * (types and helpers in bench/harness.ts). Generate data from opts.seed, write files under
 * opts.dir (removed afterwards), time candidate and baseline in the same run with
 * interleaved({ candidate, baseline }) (A-B-A-B-A-B, median of three), honour opts.quick with
 * a smaller size, and name each figure `<bench>.<what>` with the baseline it is compared to.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, totalmem, platform, arch } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { tempDir, type Bench, type Figure } from './harness.ts'
import { mergeResults } from './results-file.ts'

const here = dirname(fileURLToPath(import.meta.url))
const args = process.argv.slice(2)
const quick = args.includes('--quick')
const soak = args.includes('--soak')
const seedAt = args.indexOf('--seed')
const seed = seedAt >= 0 ? Number(args[seedAt + 1]) : 1
const names = args.filter((a, i) => !a.startsWith('--') && !(seedAt >= 0 && i === seedAt + 1))

const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort()
const benches: Bench[] = []
for (const f of files) {
  const mod = (await import(pathToFileURL(join(here, f)).href)) as { default?: Bench }
  if (!mod.default?.run) throw new Error(`bench/${f}: no default export { name, run }`)
  benches.push(mod.default)
}
const unknown = names.filter((n) => !benches.some((b) => b.name === n))
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; known: ${benches.map((b) => b.name).join(', ')}`)
  process.exit(2)
}
const chosen = benches.filter((b) => (names.length > 0 ? names.includes(b.name) : !quick || b.quick))

const cpu = cpus()
const machine = {
  cores: cpu.length,
  cpu: cpu[0]?.model ?? 'unknown',
  node: process.version,
  platform: `${platform()} ${arch()}`,
  memory_gib: Math.round((totalmem() / 2 ** 30) * 10) / 10,
}
console.log(`machine: ${machine.cores} cores, ${machine.cpu}, Node ${machine.node}, ${machine.platform}`)
console.log(`benchmarks: ${chosen.map((b) => b.name).join(', ') || '(none)'}${quick ? ' (quick)' : ''}\n`)

const figures: Figure[] = []
const errors: { bench: string; error: string }[] = []
const started = new Date().toISOString()
for (const b of chosen) {
  const tmp = tempDir(b.name)
  const t = Date.now()
  try {
    const out = await b.run({
      quick,
      soak,
      seed,
      dir: tmp.dir,
      log: (m) => console.log(`  [${b.name}] ${m}`),
    })
    figures.push(...out)
    console.log(`  [${b.name}] done in ${((Date.now() - t) / 1000).toFixed(1)} s`)
  } catch (e) {
    const error = e instanceof Error ? (e.stack ?? e.message) : String(e)
    errors.push({ bench: b.name, error })
    console.error(`  [${b.name}] FAILED: ${error}`)
  } finally {
    tmp.remove()
  }
}

const num = (x: number | undefined) =>
  x === undefined ? '' : Math.abs(x) >= 100 || x === 0 ? x.toFixed(0) : x.toPrecision(3)
const rows = figures.map((f) => [
  f.name,
  `${num(f.value)} ${f.unit}`,
  `${f.baseline}: ${num(f.baseline_value)} ${f.unit}`,
  num(f.ratio),
  f.fraction === undefined ? '' : `${(f.fraction * 100).toFixed(0)}% of ${num(f.limit)}`,
  f.target === undefined ? '' : `${f.target}${f.pass === undefined ? '' : f.pass ? ' ok' : ' MISSED'}`,
])
const head = ['figure', 'value', 'baseline', 'ratio', 'of limit', 'target']
const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
const line = (r: string[]) => r.map((c, i) => c.padEnd(width[i]!)).join('  ')
console.log(`\n${line(head)}\n${width.map((w) => '-'.repeat(w)).join('  ')}`)
for (const r of rows) console.log(line(r))

const resultsPath = join(here, 'results.json')
let previous: unknown
try {
  previous = existsSync(resultsPath) ? JSON.parse(readFileSync(resultsPath, 'utf8')) : undefined
} catch {
  previous = undefined // a damaged file is replaced, not fatal
}
const results = mergeResults(previous, {
  machine,
  started,
  quick,
  soak,
  seed,
  benches: chosen.map((b) => b.name),
  figures,
  errors,
})
writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`)
console.log(
  `\nwrote bench/results.json (${figures.length} figures of this run, ${results.figures.length} in all${errors.length ? `, ${errors.length} failed` : ''})`,
)
if (errors.length > 0) process.exitCode = 1
