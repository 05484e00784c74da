import type { SampleBatch } from '../../../shared/samples.ts'
import type { CastOutcome } from './caster-defects.ts'
import {
  CASTER_TAGS,
  CASTER_TYPICAL,
  casterTimeMs,
  createCaster,
  stepCaster,
  type CasterFaults,
  type CasterState,
} from './caster-physics.ts'
import { FaultSet, type FaultModel, type FaultSpec } from './faults.ts'

export const CASTER_FAULTS: FaultModel = {
  name: 'caster',
  tags: CASTER_TAGS,
  typical: CASTER_TYPICAL,
  process: { mould_level_hunting: 'levelHunting', superheat_high: 'superheat', sticker: 'sticker' },
}

export interface CasterRun {
  state: CasterState
  faults: FaultSet
  fx: CasterFaults
}

export function createCasterRun(seed: number, startMs: number, rateHz: number): CasterRun {
  return {
    state: createCaster(seed, startMs, rateHz),
    faults: new FaultSet(CASTER_FAULTS),
    fx: { levelHunting: 0, superheat: 0, sticker: 0 },
  }
}

/** Steps rows [from, to) into t and cols (CASTER_TAGS order). */
export function fillCaster(
  run: CasterRun,
  t: Float64Array,
  cols: Float64Array[],
  from: number,
  to: number,
): void {
  const { state, faults, fx } = run
  for (let i = from; i < to; i++) {
    const tMs = casterTimeMs(state)
    t[i] = tMs
    faults.intensities(tMs, fx)
    stepCaster(state, fx, cols, i)
    faults.applySensors(tMs, cols, i, state.dtS, state.frng)
  }
}

/** What a plant can compute over one cast from its instruments: a defect model's inputs. */
export interface CastFeatures {
  speedMean: number
  levelStd: number
  levelMaxAbs: number
  superheatMean: number
  superheatMax: number
  /** Largest rise of any upper / lower thermocouple over 10 s, C. */
  tcUpperMaxRise: number
  tcLowerMaxRise: number
  tcUpperMean: number
  tcLowerMean: number
  waterDtMean: number
  secondaryFlowMean: number
}

/** One labelled cast: its rows in the batch, its measured features, and the truth with its labels. */
export interface CastRecord extends CastOutcome {
  firstRow: number
  rows: number
  features: CastFeatures
  /** Either rule fired. */
  defect: boolean
}

export interface CastGenerateOptions {
  seed: number
  /** Casts to generate. */
  n: number
  rateHz?: number
  startMs?: number
  assetId?: string
  faults?: (FaultSpec & { since: number })[]
}

/**
 * n labelled casts of CC-1: the samples as one columnar batch (CASTER_TAGS order) and one
 * record per cast. The same seed gives the same casts at any rate, and the live source's.
 */
export function generateCasts(o: CastGenerateOptions): { batch: SampleBatch; casts: CastRecord[] } {
  const rateHz = o.rateHz ?? 1
  const run = createCasterRun(o.seed, o.startMs ?? Date.UTC(2024, 0, 1), rateHz)
  for (const f of o.faults ?? []) run.faults.inject(f, f.since)
  const chunk = Math.ceil(3600 * rateHz)
  let cap = Math.ceil(o.n * 300 * rateHz) + chunk
  let t = new Float64Array(cap)
  let cols = CASTER_TAGS.map(() => new Float64Array(cap))
  const outcomes: CastOutcome[] = []
  let rows = 0
  while (outcomes.length < o.n) {
    if (rows + chunk > cap) {
      cap *= 2
      t = grow(t, cap)
      cols = cols.map((c) => grow(c, cap))
    }
    fillCaster(run, t, cols, rows, rows + chunk)
    rows += chunk
    outcomes.push(...run.state.finished.splice(0))
  }
  const casts = outcomes.slice(0, o.n)
  const end = firstRowOf(cols[0]!, rows, casts.at(-1)!.cast + 1)
  const values = cols.map((c) => c.slice(0, end))
  const records = casts.map((c) => {
    const first = firstRowOf(values[0]!, end, c.cast)
    const last = firstRowOf(values[0]!, end, c.cast + 1)
    return {
      ...c,
      firstRow: first,
      rows: last - first,
      features: castFeatures(values, first, last, Math.max(1, Math.round(10 * rateHz))),
      defect: c.crack || c.breakoutRisk,
    }
  })
  return { batch: { assetId: o.assetId ?? 'CC-1', t: t.slice(0, end), values }, casts: records }
}

function grow(a: Float64Array, n: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(n)
  b.set(a)
  return b
}

function firstRowOf(cast: Float64Array, rows: number, n: number): number {
  let i = 0
  while (i < rows && cast[i]! < n) i++
  return i
}

function castFeatures(v: Float64Array[], from: number, to: number, lag: number): CastFeatures {
  const mean = (j: number) => {
    let s = 0
    for (let i = from; i < to; i++) s += v[j]![i]!
    return s / (to - from)
  }
  const rise = (j0: number) => {
    let best = 0
    for (let j = j0; j < j0 + 3; j++)
      for (let i = from + lag; i < to; i++) best = Math.max(best, v[j]![i]! - v[j]![i - lag]!)
    return best
  }
  const level = mean(2)
  let sq = 0
  let maxAbs = 0
  let shMax = -Infinity
  for (let i = from; i < to; i++) {
    sq += (v[2]![i]! - level) ** 2
    maxAbs = Math.max(maxAbs, Math.abs(v[2]![i]!))
    shMax = Math.max(shMax, v[3]![i]!)
  }
  return {
    speedMean: mean(1),
    levelStd: Math.sqrt(sq / (to - from)),
    levelMaxAbs: maxAbs,
    superheatMean: mean(3),
    superheatMax: shMax,
    tcUpperMaxRise: rise(4),
    tcLowerMaxRise: rise(7),
    tcUpperMean: (mean(4) + mean(5) + mean(6)) / 3,
    tcLowerMean: (mean(7) + mean(8) + mean(9)) / 3,
    waterDtMean: mean(11),
    secondaryFlowMean: mean(12),
  }
}
