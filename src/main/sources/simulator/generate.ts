import type { SampleBatch } from '../../../shared/samples.ts'
import { FaultSet, type FaultSpec } from './faults.ts'
import {
  createPump,
  PUMP_TAGS,
  pumpTimeMs,
  stepPump,
  type ProcessFaults,
  type PumpState,
} from './pump-physics.ts'

/** A pump with its faults: what both the live source and the offline generator step. */
export interface PumpRun {
  pump: PumpState
  faults: FaultSet
  /** Reused per step so stepping allocates nothing. */
  fx: ProcessFaults
}

export function createRun(seed: number, startMs: number, rateHz: number): PumpRun {
  return {
    pump: createPump(seed, startMs, rateHz),
    faults: new FaultSet(),
    fx: { bearing: 0, cavitation: 0, seal: 0 },
  }
}

/** Steps rows [from, to) into t and cols (PUMP_TAGS order). */
export function fillPump(
  run: PumpRun,
  t: Float64Array,
  cols: Float64Array[],
  from: number,
  to: number,
): void {
  const { pump, faults, fx } = run
  for (let i = from; i < to; i++) {
    const tMs = pumpTimeMs(pump)
    t[i] = tMs
    faults.intensities(tMs, fx)
    stepPump(pump, fx, cols, i)
    faults.applySensors(tMs, cols, i, pump.dtS, pump.frng)
  }
}

export interface GenerateOptions {
  seed: number
  /** Epoch ms of the first sample; the time of day sets ambient temperature. */
  startMs: number
  n: number
  rateHz?: number
  assetId?: string
  /** Faults planned ahead, each from `since` (simulated epoch ms). */
  faults?: (FaultSpec & { since: number })[]
}

/**
 * n samples of P-101 in one columnar batch, PUMP_TAGS order: training data, tests and
 * benchmarks. The same seed, start and rate give the same samples as the live source.
 */
export function generatePump(o: GenerateOptions): SampleBatch {
  const run = createRun(o.seed, o.startMs, o.rateHz ?? 1)
  for (const f of o.faults ?? []) run.faults.inject(f, f.since)
  const t = new Float64Array(o.n)
  const values = PUMP_TAGS.map(() => new Float64Array(o.n))
  fillPump(run, t, values, 0, o.n)
  return { assetId: o.assetId ?? 'P-101', t, values }
}
