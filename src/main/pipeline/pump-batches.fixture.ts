import type { SampleBatch } from '../../shared/samples.ts'
import { generatePump } from '../sources/simulator/index.ts'

/** For pipeline tests: each call gives the next 40 s of P-101 from the simulator (seed 7, from 2025-01-01). */
export function pumpBatches(): () => SampleBatch {
  let next = Date.UTC(2025, 0, 1)
  return () => {
    const b = generatePump({ seed: 7, startMs: next, n: 40 })
    next += 40_000
    return b
  }
}
