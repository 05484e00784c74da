/*
 * Writes caster-defect's training and evaluation data into a folder (not committed):
 *   node models/caster-defect/make-data.ts /tmp/caster-defect-data
 * Labelled casts of the CC-1 simulator (generateCasts), split by seed, each resampled with
 * Vigil's own resampleSequence to WINDOW steps of the process tags: the very input the engine
 * builds for a finished cast. Per split, <split>.f64 holds raw (unscaled) float64
 * [casts][WINDOW][tags]; meta.json the tags, the casts (seed, number, length, labels) and a
 * few whole test casts (times and raw columns) for golden.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { resampleSequence } from '../../src/main/models/resample-sequence.ts'
import { CASTER_TAGS } from '../../src/main/sources/simulator/caster-physics.ts'
import { generateCasts, type CastRecord } from '../../src/main/sources/simulator/caster-run.ts'

export const WINDOW = 64
/** Cast_Number only says which cast a row belongs to: the model reads the process tags. */
export const TAGS = CASTER_TAGS.filter((t) => t !== 'Cast_Number')

/** Seeds per split: no cast of validation or test shares a simulator run with training. */
export const SPLITS = [
  { split: 'train', seeds: [1, 2, 3, 4, 5, 6], casts: 800 },
  { split: 'val', seeds: [11, 12], casts: 800 },
  { split: 'test', seeds: [21, 22], casts: 800 },
] as const

const out = process.argv[2] ?? '/tmp/caster-defect-data'
mkdirSync(out, { recursive: true })

const cols = TAGS.map((tag) => CASTER_TAGS.indexOf(tag))
const meta: Record<string, unknown>[] = []
const golden: Record<string, unknown>[] = []
const wanted = new Set(['normal', 'crack', 'breakoutRisk'])
for (const { split, seeds, casts } of SPLITS) {
  const data = new Float64Array(seeds.length * casts * WINDOW * TAGS.length)
  let k = 0
  for (const seed of seeds) {
    const { batch, casts: records } = generateCasts({ seed, n: casts })
    for (const c of records) {
      const to = c.firstRow + c.rows
      const t = batch.t.subarray(c.firstRow, to)
      const x = cols.map((j) => batch.values[j]!.subarray(c.firstRow, to))
      const per = WINDOW * TAGS.length
      resampleSequence(t, x, WINDOW, `seed ${seed} cast ${c.cast}`, data.subarray(k * per, (k + 1) * per))
      meta.push(castMeta(split, seed, c, t))
      const kind = c.crack ? 'crack' : c.breakoutRisk ? 'breakoutRisk' : 'normal'
      if (split === 'test' && wanted.delete(kind))
        golden.push({ kind, seed, cast: c.cast, t: [...t], values: x.map((v) => [...v]) })
      k++
    }
  }
  writeFileSync(join(out, `${split}.f64`), data)
  console.log(`${split}: ${k} casts`)
}
writeFileSync(
  join(out, 'meta.json'),
  JSON.stringify({ tags: TAGS, window: WINDOW, splits: SPLITS, casts: meta, golden }),
)
console.log(`wrote ${meta.length} casts to ${out}`)

function castMeta(split: string, seed: number, c: CastRecord, t: Float64Array) {
  return {
    split,
    seed,
    cast: c.cast,
    rows: c.rows,
    seconds: (t[t.length - 1]! - t[0]!) / 1000,
    sticker: c.sticker,
    crack: c.crack,
    breakoutRisk: c.breakoutRisk,
    defect: c.defect,
  }
}
