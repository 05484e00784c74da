/*
 * Writes the pump-ae training and evaluation data as CSV into a folder (not committed):
 *   node models/pump-ae/make-data.ts /tmp/pump-ae-data
 * Normal running of the simulator over several seeds, operating points and times of day for
 * train and validation; an unseen seed for the false-alarm rate; one run per process fault.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DEFAULT_RAMP_S } from '../../src/main/sources/simulator/faults.ts'
import { generatePump, type GenerateOptions } from '../../src/main/sources/simulator/generate.ts'
import { PUMP_TAGS } from '../../src/main/sources/simulator/pump-physics.ts'

const out = process.argv[2] ?? '/tmp/pump-ae-data'
const HOUR = 3_600_000
const day0 = Date.UTC(2024, 5, 1)

interface Run extends GenerateOptions {
  split: string
}
const runs: Run[] = []
// Eight 3 h train runs tile the day, so the scaler and the model see the whole ambient cycle.
for (let k = 0; k < 8; k++)
  runs.push({ split: 'train', seed: k + 1, startMs: day0 + k * 27 * HOUR, n: 3 * 3600 })
for (const [k, hour] of [1.5, 13.5].entries())
  runs.push({ split: 'val', seed: 11 + k, startMs: day0 + (20 + k) * 24 * HOUR + hour * HOUR, n: 3 * 3600 })
runs.push({ split: 'test-normal', seed: 9001, startMs: day0 + 40 * 24 * HOUR + 9 * HOUR, n: 6 * 3600 })
// Eight runs per process fault, at different hours and operating points, fault at 20 min.
const faultAt = 20 * 60 * 1000
for (const [k, kind] of (['bearing_wear', 'cavitation', 'seal_leak'] as const).entries())
  for (let r = 0; r < 8; r++) {
    const startMs = day0 + (50 + k * 10 + r) * 24 * HOUR + r * 3 * HOUR
    const fault = { kind, since: startMs + faultAt, rampS: DEFAULT_RAMP_S[kind] }
    runs.push({ split: `test-${kind}`, seed: 9101 + k * 100 + r, startMs, n: 40 * 60, faults: [fault] })
  }

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
