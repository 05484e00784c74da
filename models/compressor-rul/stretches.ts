/*
 * The compressor-rul data: short 1 Hz stretches of C-201 (what the model sees live), each from
 * a seed with its own starting fouling, time of year and operating point, labelled with the
 * life the simulator itself gives that machine: the hours until health first reaches 0 (the
 * wash limit) in a run of the same seed from the same fouling at one sample per 10 minutes.
 * make-data.ts writes them for train.py; compressor-rul.test.ts regenerates unseen seeds.
 */
import { generateCompressor, remainingLife } from '../../src/main/sources/simulator/compressor-run.ts'
import { Rng } from '../../src/main/sources/simulator/rng.ts'

/** Seconds of 1 Hz data per stretch: about one setpoint change in two (they come every 20-60 min). */
export const STRETCH_S = 900
const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i)
export const SPLITS = { train: range(1, 601), val: range(1001, 1081), test: range(2001, 2081) } as const

export interface StretchPlan {
  seed: number
  fouling0: number
  startMs: number
}

/** A seed's starting fouling (0 to just past the wash limit) and start hour within a year. */
export function planFor(seed: number): StretchPlan {
  const r = new Rng(seed * 7919 + 17)
  const fouling0 = 1.05 * r.next()
  const startMs = Date.UTC(2024, 0, 1) + Math.floor(r.next() * 365 * 24) * 3_600_000
  return { seed, fouling0, startMs }
}

/** Hours from the plan's start until the wash limit, at the default fouling rate (1,500 h clean to limit at design flow). */
export function lifeHours(p: StretchPlan): number {
  // 2,500 h at one sample per 10 minutes: past the limit from any start (the slowest, clean at low flow, takes ~1,900 h).
  const { batch, truth } = generateCompressor({ ...p, rateHz: 1 / 600, n: 15_000 })
  const life = remainingLife(batch.t, truth.health)[0]!
  if (!(life >= 0))
    throw new Error(`seed ${p.seed}: fouling ${p.fouling0} did not reach the wash limit in 2,500 h`)
  return life / 3600
}

/** The plan's first `n` seconds at 1 Hz, with the truth. */
export const stretch = (p: StretchPlan, n = STRETCH_S) => generateCompressor({ ...p, rateHz: 1, n })
