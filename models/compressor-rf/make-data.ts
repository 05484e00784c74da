/*
 * Writes the compressor-rf training and evaluation data as CSV into a folder (not committed):
 *   node models/compressor-rf/make-data.ts /tmp/compressor-rf-data
 * One file per split (train, val, test): run, t (epoch ms), state (0 normal, 1 anomalous,
 * 2 fault not yet visible; runs.ts says when), then the compressor's tags at 1 Hz. meta.json
 * lists every run with its seed, group and fault.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { COMPRESSOR_TAGS } from '../../src/main/sources/simulator/compressor-physics.ts'
import { generateLabelled, RUNS, WINDOW } from './runs.ts'

const out = process.argv[2] ?? '/tmp/compressor-rf-data'

mkdirSync(out, { recursive: true })
const files = new Map<string, string[]>()
for (const [i, r] of RUNS.entries()) {
  const { batch, state } = generateLabelled(r)
  const lines = files.get(r.split) ?? [`run,t,state,${COMPRESSOR_TAGS.join(',')}`]
  for (let j = 0; j < r.n; j++)
    lines.push(`${i},${batch.t[j]},${state[j]},${batch.values.map((v) => v[j]!.toFixed(5)).join(',')}`)
  files.set(r.split, lines)
}
for (const [split, lines] of files) writeFileSync(join(out, `${split}.csv`), lines.join('\n') + '\n')
const meta = RUNS.map((r, i) => ({
  run: i,
  split: r.split,
  group: r.group,
  seed: r.seed,
  startMs: r.startMs,
  n: r.n,
  rateHz: 1,
  fouling0: r.fouling0 ?? null,
  faults: r.faults ?? [],
}))
writeFileSync(
  join(out, 'meta.json'),
  JSON.stringify({ tags: COMPRESSOR_TAGS, window: WINDOW, runs: meta }, null, 1),
)
console.log(`wrote ${RUNS.length} runs, ${RUNS.reduce((s, r) => s + r.n, 0)} samples to ${out}`)
