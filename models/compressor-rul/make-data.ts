/*
 * Writes the compressor-rul training and evaluation data as CSV into a folder (not committed):
 *   node models/compressor-rul/make-data.ts /tmp/compressor-rul-data
 * One file per split (stretches.ts SPLITS): run, t, every C-201 tag, the true fouling and the
 * life label in hours; meta.json holds each run's plan and how much of the label no window can
 * know (the spread of life between seeds started at the same fouling: the future schedule).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { COMPRESSOR_TAGS } from '../../src/main/sources/simulator/compressor-physics.ts'
import { lifeHours, planFor, SPLITS, stretch } from './stretches.ts'

const out = process.argv[2] ?? '/tmp/compressor-rul-data'
mkdirSync(out, { recursive: true })
const runs: { run: number; split: string; seed: number; fouling0: number; startMs: number; lifeH: number }[] =
  []
for (const [split, seeds] of Object.entries(SPLITS)) {
  const lines = [`run,t,${COMPRESSOR_TAGS.join(',')},fouling,life_h`]
  for (const seed of seeds) {
    const p = planFor(seed)
    const life0 = lifeHours(p)
    const { batch, truth } = stretch(p)
    const run = runs.length
    runs.push({ run, split, ...p, lifeH: life0 })
    for (let i = 0; i < batch.t.length; i++) {
      const elapsedH = (batch.t[i]! - p.startMs) / 3_600_000
      const row = batch.values.map((v) => v[i]!.toFixed(5)).join(',')
      lines.push(
        `${run},${batch.t[i]},${row},${truth.fouling[i]!.toFixed(6)},${Math.max(0, life0 - elapsedH).toFixed(4)}`,
      )
    }
  }
  writeFileSync(join(out, `${split}.csv`), lines.join('\n') + '\n')
}
// Label noise: the same starting fouling, different seeds (different future schedules and weather).
const noise = [0.1, 0.5, 0.9].map((fouling0) => {
  const lives = Array.from({ length: 20 }, (_, k) => lifeHours({ ...planFor(5000 + k), fouling0 }))
  const mean = lives.reduce((a, b) => a + b, 0) / lives.length
  const std = Math.sqrt(lives.reduce((a, b) => a + (b - mean) ** 2, 0) / lives.length)
  return { fouling0, seeds: 20, meanLifeH: +mean.toFixed(1), stdLifeH: +std.toFixed(1) }
})
writeFileSync(
  join(out, 'meta.json'),
  JSON.stringify({ tags: COMPRESSOR_TAGS, runs, labelNoise: noise }, null, 1),
)
console.log(`wrote ${runs.length} stretches to ${out}; label spread at equal fouling:`, noise)
