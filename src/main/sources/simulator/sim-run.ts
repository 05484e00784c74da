import type { SimulatorModel } from '../../../shared/samples.ts'
import type { SetpointControl } from '../source.ts'
import type { CastOutcome } from './caster-defects.ts'
import { CASTER_TAGS } from './caster-physics.ts'
import { createCasterRun, fillCaster } from './caster-run.ts'
import { COMPRESSOR_TAGS } from './compressor-physics.ts'
import { compressorSetpoints, createCompressorRun, fillCompressor } from './compressor-run.ts'
import type { FaultSet } from './faults.ts'
import { createRun, fillPump } from './generate.ts'
import { PUMP_TAGS } from './pump-physics.ts'

/** Where a model's state keeps its clock: the next sample is at t0Ms + count * dtS * 1000. */
export interface SimClock {
  t0Ms: number
  dtS: number
  count: number
}

/** One simulated asset of any model, as the live source drives it. */
export interface SimRun {
  model: SimulatorModel
  tags: readonly string[]
  clock: SimClock
  faults: FaultSet
  /** Steps rows [from, to) into t and cols (the model's tag order). */
  fill(t: Float64Array, cols: Float64Array[], from: number, to: number): void
  setpoints?: SetpointControl
  /** Caster: the casts finished so far with their labels, newest last. */
  casts?(): CastOutcome[]
}

export const MODEL_TAGS: Record<SimulatorModel, readonly string[]> = {
  pump: PUMP_TAGS,
  compressor: COMPRESSOR_TAGS,
  caster: CASTER_TAGS,
}

export function createSimRun(model: SimulatorModel, seed: number, startMs: number, rateHz: number): SimRun {
  if (model === 'compressor') {
    const run = createCompressorRun(seed, startMs, rateHz)
    return {
      model,
      tags: COMPRESSOR_TAGS,
      clock: run.state,
      faults: run.faults,
      fill: (t, cols, from, to) => fillCompressor(run, t, cols, from, to),
      setpoints: compressorSetpoints(run),
    }
  }
  if (model === 'caster') {
    const run = createCasterRun(seed, startMs, rateHz)
    return {
      model,
      tags: CASTER_TAGS,
      clock: run.state,
      faults: run.faults,
      fill: (t, cols, from, to) => fillCaster(run, t, cols, from, to),
      casts: () => run.state.finished.slice(),
    }
  }
  const run = createRun(seed, startMs, rateHz)
  return {
    model,
    tags: PUMP_TAGS,
    clock: run.pump,
    faults: run.faults,
    fill: (t, cols, from, to) => fillPump(run, t, cols, from, to),
  }
}

export const simTimeMs = (c: SimClock) => c.t0Ms + c.count * c.dtS * 1000
