import { VigilError } from '../../../shared/errors.ts'
import type { SampleBatch } from '../../../shared/samples.ts'
import type { SetpointInfo } from '../../../shared/setpoints.ts'
import type { SetpointControl } from '../source.ts'
import {
  COMPRESSOR_TAGS,
  COMPRESSOR_TYPICAL,
  compressorTimeMs,
  createCompressor,
  IGV_LIMITS,
  SPEED_LIMITS,
  stepCompressor,
  type CompressorFaults,
  type CompressorOptions,
  type CompressorState,
} from './compressor-physics.ts'
import { FaultSet, type FaultModel, type FaultSpec } from './faults.ts'

export const COMPRESSOR_FAULTS: FaultModel = {
  name: 'compressor',
  tags: COMPRESSOR_TAGS,
  typical: COMPRESSOR_TYPICAL,
  process: { fouling: 'fouling', surge: 'surge', bearing_wear: 'bearing' },
}

/** A compressor with its faults: what the live source and the offline generator step. */
export interface CompressorRun {
  state: CompressorState
  faults: FaultSet
  fx: CompressorFaults
}

export function createCompressorRun(
  seed: number,
  startMs: number,
  rateHz: number,
  o?: CompressorOptions,
): CompressorRun {
  return {
    state: createCompressor(seed, startMs, rateHz, o),
    faults: new FaultSet(COMPRESSOR_FAULTS),
    fx: { fouling: 0, surge: 0, bearing: 0 },
  }
}

/** The hidden truth per sample, for training and checking a RUL model. */
export interface CompressorTruthColumns {
  fouling: Float64Array
  health: Float64Array
  efficiency: Float64Array
  surgeMargin: Float64Array
}

/** Steps rows [from, to) into t and cols (COMPRESSOR_TAGS order), and the truth when given. */
export function fillCompressor(
  run: CompressorRun,
  t: Float64Array,
  cols: Float64Array[],
  from: number,
  to: number,
  truth?: CompressorTruthColumns,
): void {
  const { state, faults, fx } = run
  for (let i = from; i < to; i++) {
    const tMs = compressorTimeMs(state)
    t[i] = tMs
    faults.intensities(tMs, fx)
    stepCompressor(state, fx, cols, i)
    faults.applySensors(tMs, cols, i, state.dtS, state.frng)
    if (truth) {
      truth.fouling[i] = state.truth.fouling
      truth.health[i] = state.truth.health
      truth.efficiency[i] = state.truth.efficiency
      truth.surgeMargin[i] = state.truth.surgeMargin
    }
  }
}

export interface CompressorGenerateOptions extends CompressorOptions {
  seed: number
  startMs: number
  n: number
  /** Samples per simulated second; 1/600 gives one sample per 10 minutes for run-to-wash-limit sets. */
  rateHz?: number
  assetId?: string
  faults?: (FaultSpec & { since: number })[]
}

/**
 * n samples of C-201 in one columnar batch (COMPRESSOR_TAGS order) and the hidden truth
 * beside it. The same seed, start and rate give the same samples as the live source.
 */
export function generateCompressor(o: CompressorGenerateOptions): {
  batch: SampleBatch
  truth: CompressorTruthColumns
} {
  const run = createCompressorRun(o.seed, o.startMs, o.rateHz ?? 1, o)
  for (const f of o.faults ?? []) run.faults.inject(f, f.since)
  const t = new Float64Array(o.n)
  const values = COMPRESSOR_TAGS.map(() => new Float64Array(o.n))
  const truth = {
    fouling: new Float64Array(o.n),
    health: new Float64Array(o.n),
    efficiency: new Float64Array(o.n),
    surgeMargin: new Float64Array(o.n),
  }
  fillCompressor(run, t, values, 0, o.n, truth)
  return { batch: { assetId: o.assetId ?? 'C-201', t, values }, truth }
}

/**
 * Remaining useful life (seconds) at each sample: the time until health first reaches 0 (the
 * wash limit) later in the run; NaN where the run ends before that. The RUL model's label.
 */
export function remainingLife(t: Float64Array, health: Float64Array): Float64Array {
  const out = new Float64Array(t.length).fill(NaN)
  let end = NaN
  for (let i = t.length - 1; i >= 0; i--) {
    if (health[i]! <= 0) end = t[i]!
    out[i] = (end - t[i]!) / 1000
  }
  return out
}

/** The speed and guide-vane setpoints, held at what was set until released. */
export function compressorSetpoints(run: CompressorRun): SetpointControl {
  const s = run.state
  const setAt: Record<string, number> = {}
  const list = (): SetpointInfo[] => [
    info('Shaft_Speed_rpm', 'rpm', SPEED_LIMITS, s.speedSp, s.held.speed, setAt.Shaft_Speed_rpm),
    info('IGV_Position_pct', '%', IGV_LIMITS, s.igvSp, s.held.igv, setAt.IGV_Position_pct),
  ]
  return {
    list,
    set(tag, value) {
      const sp = list().find((p) => p.tag === tag)
      if (!sp)
        throw new VigilError(
          'bad-request',
          `the compressor takes setpoints for Shaft_Speed_rpm and IGV_Position_pct, not "${tag}"`,
        )
      if (!(value >= sp.min && value <= sp.max))
        throw new VigilError(
          'bad-request',
          `setpoint ${tag}: ${value} ${sp.unit} is outside ${sp.min} to ${sp.max} ${sp.unit}`,
        )
      if (tag === 'Shaft_Speed_rpm') {
        s.speedSp = value
        s.held.speed = true
      } else {
        s.igvSp = value
        s.held.igv = true
      }
      setAt[tag] = compressorTimeMs(s)
      return list()
    },
    release(tag) {
      if (tag !== undefined && tag !== 'Shaft_Speed_rpm' && tag !== 'IGV_Position_pct')
        throw new VigilError('bad-request', `the compressor has no setpoint "${tag}" to release`)
      if (tag === undefined || tag === 'Shaft_Speed_rpm') s.held.speed = false
      if (tag === undefined || tag === 'IGV_Position_pct') s.held.igv = false
      return list()
    },
  }
}

function info(
  tag: string,
  unit: string,
  [min, max]: readonly [number, number],
  value: number,
  held: boolean,
  setAt: number | undefined,
): SetpointInfo {
  return setAt === undefined
    ? { tag, unit, min, max, value, held }
    : { tag, unit, min, max, value, held, setAt }
}
