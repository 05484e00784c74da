/*
 * The compressor simulator runs compressor-rf is trained and measured on, and what each sample
 * of them is labelled. make-data.ts writes them as CSV for train.py. Changing a run here
 * changes what a retrain learns.
 *
 * Split by seed: train, validation and test runs never share a seed, so no test window shares
 * noise, weather or setpoint schedule with training.
 */
import type { FaultKind } from '../../src/shared/samples.ts'
import {
  generateCompressor,
  type CompressorGenerateOptions,
} from '../../src/main/sources/simulator/compressor-run.ts'
import { COMPRESSOR_TAGS, createCompressor } from '../../src/main/sources/simulator/compressor-physics.ts'

/** The model's window at 1 Hz: a spike is labelled in every window it falls in. */
export const WINDOW = 30

/** Per-sample state: normal, anomalous, or a fault whose effect is not yet visible (left out of training and scoring). */
export const NORMAL = 0
export const ANOMALY = 1
export const UNSURE = 2

/*
 * When a fault's effect is "visible", per kind. Bearing wear and surge by their intensity
 * (severity x ramp progress): 0.05 of bearing wear is +0.35 mm/s vibration, four times the
 * vibration noise; 0.1 of surge takes about two points of surge margin. Fouling by the truth:
 * normal runs start anywhere in 0.05-0.4, so only fouling past 0.55 says something a window
 * can tell apart from an ordinary dirty compressor. A stuck sensor once a whole window is flat;
 * a spike in every window that holds one of at least ten times the tag's noise (smaller ones
 * are lost in the noise of a 30-sample window).
 */
const MIN_INTENSITY: Partial<Record<FaultKind, number>> = { bearing_wear: 0.05, surge: 0.1 }
const FOULING_VISIBLE = 0.55
const STUCK_VISIBLE_S = WINDOW - 1
/** A spike is visible when it moves the reading by this many times the tag's noise. */
const SPIKE_VISIBLE_SIGMAS = 10

export interface Run extends CompressorGenerateOptions {
  /** train, val or test. */
  split: string
  /** normal or the fault kind, for the per-fault figures. */
  group: string
}

const HOUR = 3_600_000
const MIN = 60_000
const day0 = Date.UTC(2024, 5, 1)

export const RUNS: Run[] = []
const SPLITS = [
  ['train', 0],
  ['val', 1],
  ['test', 2],
] as const

/*
 * Normal running. Training: 16 runs of 2 h with start hours tiling the day (the ambient
 * cycle, 8-22 C), starting fouling spread evenly over the simulator's 0.05-0.4, and seeds picked so the
 * starting weather spans -5..+5 C (2.5 sigma; it drifts with a 3 h time constant), so the
 * forest has seen every ordinary state a window can show: a tree cannot extrapolate. With
 * seeded weather and fouling instead, a test run 2 C warmer than any training run had its hot
 * bearing (88 C, from the weather alone) flagged as bearing wear in every window.
 * Validation and test: 3 h runs with the simulator's own seeded weather and fouling.
 */
const TRAIN_NORMAL = 16
const trainSeeds = seedsSpanningWeather(TRAIN_NORMAL, -5, 5)
// Twice round the day in 3 h steps; the coldest weather meets the night, the warmest the afternoon.
const TRAIN_HOURS = [1, 4, 22, 7, 19, 10, 16, 13, 1, 4, 22, 7, 19, 10, 16, 13]
for (let k = 0; k < TRAIN_NORMAL; k++) {
  const startMs = day0 + k * 24 * HOUR + TRAIN_HOURS[k]! * HOUR
  RUNS.push({
    split: 'train',
    group: 'normal',
    seed: trainSeeds[k]!,
    startMs,
    n: 2 * 3600,
    fouling0: 0.05 + (0.35 * ((k * 5) % TRAIN_NORMAL)) / (TRAIN_NORMAL - 1),
  })
}
for (const [split, s] of SPLITS.slice(1))
  for (let k = 0; k < 3; k++)
    RUNS.push({
      split,
      group: 'normal',
      seed: 1 + s * 20 + k,
      startMs: day0 + (s * 40 + k) * 24 * HOUR + ((k * 7 + s * 5) % 24) * HOUR,
      n: 3 * 3600,
    })

/** Severity and ramp per variant of each process fault; runs cycle through them, offset per split. */
const PROCESS: Record<string, { severity: number; rampS: number; faultMin: number }[]> = {
  bearing_wear: [
    { severity: 1, rampS: 600, faultMin: 45 },
    { severity: 0.5, rampS: 1200, faultMin: 45 },
    { severity: 0.3, rampS: 300, faultMin: 45 },
    { severity: 1, rampS: 1800, faultMin: 45 },
    { severity: 0.2, rampS: 900, faultMin: 45 },
  ],
  surge: [
    { severity: 1, rampS: 120, faultMin: 45 },
    { severity: 0.6, rampS: 60, faultMin: 45 },
    { severity: 0.4, rampS: 300, faultMin: 45 },
    { severity: 0.8, rampS: 600, faultMin: 45 },
    { severity: 0.3, rampS: 120, faultMin: 45 },
  ],
  // Accelerated fouling: severity s multiplies the fouling rate by 1 + 199 s.
  fouling: [
    { severity: 3, rampS: 600, faultMin: 120 },
    { severity: 1.5, rampS: 600, faultMin: 120 },
    { severity: 5, rampS: 600, faultMin: 120 },
    { severity: 2, rampS: 600, faultMin: 120 },
    { severity: 8, rampS: 600, faultMin: 120 },
  ],
}
const PROCESS_RUNS = { train: 6, val: 3, test: 4 }
for (const [split, s] of SPLITS)
  for (const [f, kind] of Object.keys(PROCESS).entries())
    for (let k = 0; k < PROCESS_RUNS[split]; k++) {
      const variants = PROCESS[kind]!
      const v = variants[(k + s * 2) % variants.length]!
      const startMs = day0 + (100 + s * 40 + f * 10 + k) * 24 * HOUR + ((k * 5 + f * 3) % 24) * HOUR
      const since = startMs + 30 * MIN
      RUNS.push({
        split,
        group: kind,
        seed: 1000 * (s + 1) + 100 * f + k,
        startMs,
        n: (30 + v.faultMin) * 60,
        // Fouling runs start at the dirty end of normal, so the accelerated fouling passes 0.55 within the run.
        ...(kind === 'fouling' ? { fouling0: 0.3 + 0.02 * k } : {}),
        faults: [{ kind: kind as FaultKind, since, severity: v.severity, rampS: v.rampS }],
      })
    }

// Sensor faults, 30 min runs with the fault from minute 10, cycling through every tag.
const SENSOR_RUNS = { train: 14, val: 5, test: 7 }
const SPIKE_SEVERITY = [0.1, 0.3, 1]
for (const [split, s] of SPLITS)
  for (const [f, kind] of (['sensor_stuck', 'sensor_spike'] as const).entries())
    for (let k = 0; k < SENSOR_RUNS[split]; k++) {
      const startMs = day0 + (300 + s * 40 + f * 20 + k) * 24 * HOUR + ((k * 5 + 2) % 24) * HOUR
      const tag = COMPRESSOR_TAGS[(k + s * 5 + f * 3) % COMPRESSOR_TAGS.length]!
      RUNS.push({
        split,
        group: kind,
        seed: 1000 * (s + 1) + 500 + 100 * f + k,
        startMs,
        n: 30 * 60,
        faults: [{ kind, tag, since: startMs + 10 * MIN, severity: SPIKE_SEVERITY[k % 3]! }],
      })
    }

/** A run's samples and their state per sample (NORMAL, ANOMALY, UNSURE), as the rules above say. */
export function generateLabelled(r: Run) {
  const { batch, truth } = generateCompressor(r)
  const state = new Uint8Array(r.n)
  const f = r.faults?.[0]
  if (!f) return { batch, state }
  const rampMs = (f.rampS ?? 0) * 1000
  let spikeRows: Uint8Array | undefined
  if (f.kind === 'sensor_spike') {
    // The same seed without the fault gives the same readings but for the spikes.
    const clean = generateCompressor({ ...r, faults: [] }).batch
    const j = COMPRESSOR_TAGS.indexOf(f.tag as (typeof COMPRESSOR_TAGS)[number])
    const sigma = noiseSigma(clean.values[j]!)
    spikeRows = new Uint8Array(r.n)
    for (let i = 0; i < r.n; i++)
      spikeRows[i] =
        Math.abs(batch.values[j]![i]! - clean.values[j]![i]!) >= SPIKE_VISIBLE_SIGMAS * sigma ? 1 : 0
  }
  let lastSpike = -Infinity
  for (let i = 0; i < r.n; i++) {
    const t = batch.t[i]!
    if (spikeRows?.[i]) lastSpike = i
    if (t < f.since) continue
    const intensity = (f.severity ?? 1) * (rampMs > 0 ? Math.min(1, (t - f.since) / rampMs) : 1)
    let visible: boolean
    if (f.kind === 'fouling') visible = truth.fouling[i]! >= FOULING_VISIBLE
    else if (f.kind === 'sensor_stuck') visible = t - f.since >= STUCK_VISIBLE_S * 1000
    else if (f.kind === 'sensor_spike') visible = i - lastSpike < WINDOW
    else visible = intensity >= MIN_INTENSITY[f.kind]!
    state[i] = visible ? ANOMALY : UNSURE
  }
  return { batch, state, truth }
}

/** A reading's noise sigma from its sample-to-sample differences: at 1 Hz the process barely moves between samples. */
function noiseSigma(v: Float64Array): number {
  let s = 0
  for (let i = 1; i < v.length; i++) s += (v[i]! - v[i - 1]!) ** 2
  return Math.sqrt(s / (v.length - 1) / 2)
}

/** n seeds among 100-499 whose starting weather (C) lies nearest to n values evenly spaced over lo..hi. */
function seedsSpanningWeather(n: number, lo: number, hi: number): number[] {
  const pool = Array.from({ length: 400 }, (_, i) => ({
    seed: 100 + i,
    weather: createCompressor(100 + i, 0, 1).weather,
  }))
  return Array.from({ length: n }, (_, k) => {
    const want = lo + ((hi - lo) * k) / (n - 1)
    pool.sort((a, b) => Math.abs(a.weather - want) - Math.abs(b.weather - want))
    return pool.shift()!.seed
  })
}
