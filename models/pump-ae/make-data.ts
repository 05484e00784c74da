/*
 * Writes the pump-ae training and evaluation data as CSV into a folder (not committed):
 *   node models/pump-ae/make-data.ts /tmp/pump-ae-data
 * The runs (runs.ts): normal running of the simulator over several seeds, operating points and
 * times of day for train and validation; an unseen seed for the false-alarm rate; eight runs
 * per process fault.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generatePump } from '../../src/main/sources/simulator/generate.ts'
import { PUMP_TAGS } from '../../src/main/sources/simulator/pump-physics.ts'
import { RUNS as runs } from './runs.ts'

const out = process.argv[2] ?? '/tmp/pump-ae-data'

mkdirSync(out, { recursive: true })
const files = new Map<string, string[]>()
for (const [i, r] of runs.entries()) {
  const b = generatePump(r)
  const lines = files.get(r.split) ?? [`run,t,${PUMP_TAGS.join(',')}`]
  for (let j = 0; j < r.n; j++)
    lines.push(`${i},${b.t[j]},${b.values.map((v) => v[j]!.toFixed(4)).join(',')}`)
  files.set(r.split, lines)
}
for (const [split, lines] of files) writeFileSync(join(out, `${split}.csv`), lines.join('\n') + '\n')
const meta = runs.map((r, i) => ({
  run: i,
  split: r.split,
  seed: r.seed,
  startMs: r.startMs,
  n: r.n,
  rateHz: 1,
  faults: r.faults ?? [],
}))
writeFileSync(join(out, 'meta.json'), JSON.stringify({ tags: PUMP_TAGS, runs: meta }, null, 1))
console.log(`wrote ${runs.length} runs, ${runs.reduce((s, r) => s + r.n, 0)} samples to ${out}`)
