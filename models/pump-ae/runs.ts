/*
 * The simulator runs pump-ae was trained and measured on, in one place: make-data.ts writes
 * them as CSV for train.py, baseline.ts regenerates them to measure the shipped model.
 * Changing a run here changes what a retrain learns.
 */
import { DEFAULT_RAMP_S } from '../../src/main/sources/simulator/faults.ts'
import type { GenerateOptions } from '../../src/main/sources/simulator/generate.ts'

export interface Run extends GenerateOptions {
  /** train, val, test-normal or test-<fault kind>. */
  split: string
}

const HOUR = 3_600_000
const day0 = Date.UTC(2024, 5, 1)

export const RUNS: Run[] = []
// Eight 3 h train runs tile the day, so the scaler and the model see the whole ambient cycle.
for (let k = 0; k < 8; k++)
  RUNS.push({ split: 'train', seed: k + 1, startMs: day0 + k * 27 * HOUR, n: 3 * 3600 })
for (const [k, hour] of [1.5, 13.5].entries())
  RUNS.push({ split: 'val', seed: 11 + k, startMs: day0 + (20 + k) * 24 * HOUR + hour * HOUR, n: 3 * 3600 })
RUNS.push({ split: 'test-normal', seed: 9001, startMs: day0 + 40 * 24 * HOUR + 9 * HOUR, n: 6 * 3600 })
// Eight runs per process fault, at different hours and operating points, fault at 20 min.
const faultAt = 20 * 60 * 1000
for (const [k, kind] of (['bearing_wear', 'cavitation', 'seal_leak'] as const).entries())
  for (let r = 0; r < 8; r++) {
    const startMs = day0 + (50 + k * 10 + r) * 24 * HOUR + r * 3 * HOUR
    const fault = { kind, since: startMs + faultAt, rampS: DEFAULT_RAMP_S[kind] }
    RUNS.push({ split: `test-${kind}`, seed: 9101 + k * 100 + r, startMs, n: 40 * 60, faults: [fault] })
  }

/** The CSV holds 4 decimals; regenerated data is rounded the same so it is what train.py read. */
export function roundAsCsv(cols: Float64Array[]): void {
  for (const c of cols) for (let i = 0; i < c.length; i++) c[i] = Number(c[i]!.toFixed(4))
}
