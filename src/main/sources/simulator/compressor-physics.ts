import { Rng } from './rng.ts'

/*
 * Gas-turbine compressor C-201 (SGT-400 class: ~39 kg/s, pressure ratio 16.8 at 14,100 rpm)
 * as a pure state and step function, no allocation per step. Speed and inlet guide vanes
 * (IGV) are setpoints; corrected flow follows them, the pressure ratio follows flow along the
 * operating line, and the discharge temperature comes from the isentropic relation with an
 * efficiency: T2 = T1 (1 + (PR^((g-1)/g) - 1) / eta). Absorbed power is flow x cp x (T2 - T1).
 * Fouling F (0 clean, 1 = the wash limit) grows slowly with the air swallowed: it takes
 * efficiency, flow and, most of all, surge margin away. README.md documents the health index.
 */

export const COMPRESSOR_TAGS = [
  'Ambient_Temperature_C',
  'Ambient_Pressure_bar',
  'Inlet_Pressure_bar',
  'Inlet_Temperature_C',
  'Discharge_Pressure_bar',
  'Discharge_Temperature_C',
  'Mass_Flow_kg_s',
  'Shaft_Speed_rpm',
  'IGV_Position_pct',
  'Vibration_mm_s',
  'Bearing_Temperature_C',
  'Power_MW',
  'Isentropic_Efficiency_pct',
  'Surge_Margin_pct',
] as const

/** Measurement noise, one sigma, COMPRESSOR_TAGS order; the last two are computed from the others. */
const NOISE = [0.1, 0.0005, 0.0008, 0.15, 0.03, 0.6, 0.15, 3, 0.1, 0.08, 0.15, 0.04] as const
/** A typical reading per tag, which sizes sensor spikes. */
export const COMPRESSOR_TYPICAL = [15, 1, 1, 15, 16.5, 430, 38, 14000, 85, 3.4, 78, 16, 85, 18] as const

export const N0 = 14_100 // design speed, rpm
const MDOT0 = 39 // design corrected flow, kg/s
const PR0 = 16.8
const PRS0 = 1.2 * PR0 // surge line at design flow: a 20% margin when clean
const ETA0 = 0.86
const K = 0.4 / 1.4 // (gamma - 1) / gamma for air
const CP = 1.005 // kJ/(kg K)
/** Fouling rate at design flow: clean to the wash limit in 1,500 running hours. */
export const FOULING_PER_S = 1 / (1500 * 3600)

export const SPEED_LIMITS = [12_600, 14_500] as const
export const IGV_LIMITS = [40, 100] as const
const SPEED_BAND = [13_400, 14_100] as const
const IGV_BAND = [70, 100] as const
const RAMP_RPM_S = 40
const RAMP_IGV_S = 0.5
const TAU_BEARING_S = 300
const TAU_WEATHER_S = 3 * 3600
const DAY_MS = 86_400_000

/** How far each process fault has progressed, 0..1 (faults.ts). */
export interface CompressorFaults {
  /** Multiplies the fouling rate by up to 200: a dusty inlet, a torn filter. */
  fouling: number
  /** Back pressure pushing the operating point up the speed line towards surge. */
  surge: number
  bearing: number
}

/** The hidden truth of the last step: what a RUL model learns to estimate. */
export interface CompressorTruth {
  fouling: number
  /** 1 - fouling, clamped to 0..1: 0 is the wash limit. */
  health: number
  efficiency: number
  surgeMargin: number
}

export interface CompressorState {
  rng: Rng
  frng: Rng
  t0Ms: number
  dtS: number
  count: number
  speed: number
  speedSp: number
  igv: number
  igvSp: number
  /** Setpoints held from outside (an optimizer's suggestion) stop the schedule's changes. */
  held: { speed: boolean; igv: boolean }
  nextChangeMs: number
  fouling: number
  foulingPerS: number
  bearingT: number
  weather: number
  baro: number
  truth: CompressorTruth
  k: { bearing: number; wA: number; wK: number }
}

/** The ambient temperature's daily cycle (C) before weather; tests rebuild a step's ambient from it. */
export const ambientBase = (tMs: number) =>
  15 + 7 * Math.sin((2 * Math.PI * ((tMs % DAY_MS) / 3_600_000 - 8)) / 24)
const bearingRise = (r2: number, bearing: number) => 50 + 12 * r2 + 30 * bearing

export const compressorTimeMs = (s: CompressorState) => s.t0Ms + s.count * s.dtS * 1000

export interface CompressorOptions {
  /** Fouling at the start; default a seeded value between 0.05 and 0.4. */
  fouling0?: number
  /** Running hours from clean to the wash limit at design flow; default 1,500. */
  foulingHours?: number
}

export function createCompressor(
  seed: number,
  startMs: number,
  rateHz: number,
  o: CompressorOptions = {},
): CompressorState {
  const rng = new Rng(seed)
  const dtS = 1 / rateHz
  const a = Math.exp(-dtS / TAU_WEATHER_S)
  const speedSp = SPEED_BAND[0] + rng.next() * (SPEED_BAND[1] - SPEED_BAND[0])
  const igvSp = IGV_BAND[0] + rng.next() * (IGV_BAND[1] - IGV_BAND[0])
  const fouling = o.fouling0 ?? 0.05 + 0.35 * rng.next()
  const weather = 2 * rng.gauss()
  return {
    rng,
    frng: new Rng(~seed),
    t0Ms: startMs,
    dtS,
    count: 0,
    speed: speedSp,
    speedSp,
    igv: igvSp,
    igvSp,
    held: { speed: false, igv: false },
    nextChangeMs: startMs + (1200 + 2400 * rng.next()) * 1000,
    fouling,
    foulingPerS: o.foulingHours ? 1 / (o.foulingHours * 3600) : FOULING_PER_S,
    bearingT: ambientBase(startMs) + weather + bearingRise((speedSp / N0) ** 2, 0),
    weather,
    baro: 0,
    truth: { fouling, health: 1 - fouling, efficiency: ETA0, surgeMargin: 0.2 },
    k: {
      bearing: 1 - Math.exp(-dtS / TAU_BEARING_S),
      wA: a,
      wK: Math.sqrt(1 - a * a),
    },
  }
}

/** Advances one sample and writes its readings into row i of cols (COMPRESSOR_TAGS order). */
export function stepCompressor(
  s: CompressorState,
  f: CompressorFaults,
  cols: Float64Array[],
  i: number,
): void {
  const { rng, frng, k, dtS } = s
  const tMs = compressorTimeMs(s)
  if (tMs >= s.nextChangeMs) {
    // Drawn whether held or not, so holding a setpoint leaves the noise sequence as it was.
    const sp = SPEED_BAND[0] + rng.next() * (SPEED_BAND[1] - SPEED_BAND[0])
    const ig = IGV_BAND[0] + rng.next() * (IGV_BAND[1] - IGV_BAND[0])
    if (!s.held.speed) s.speedSp = sp
    if (!s.held.igv) s.igvSp = ig
    s.nextChangeMs = tMs + (1200 + 2400 * rng.next()) * 1000
  }
  const dn = RAMP_RPM_S * dtS
  s.speed += Math.max(-dn, Math.min(dn, s.speedSp - s.speed))
  const dv = RAMP_IGV_S * dtS
  s.igv += Math.max(-dv, Math.min(dv, s.igvSp - s.igv))
  s.weather = s.weather * k.wA + 2 * k.wK * rng.gauss()
  s.baro = s.baro * k.wA + 0.006 * k.wK * rng.gauss()

  const ta = ambientBase(tMs) + s.weather
  const pa = 1.013 + s.baro
  const t1 = ta + 273.15 + 0.3
  const theta = t1 / 288.15
  const n = s.speed / N0 / Math.sqrt(theta)
  const g = 0.55 + 0.45 * (s.igv / 100)
  const phiClean = n ** 1.4 * g

  s.fouling = Math.min(1.5, s.fouling + s.foulingPerS * dtS * phiClean * (1 + 199 * f.fouling))
  const F = s.fouling
  const phi = phiClean * (1 - 0.06 * F) * (1 - 0.05 * f.surge)
  const pr = 1 + (PR0 - 1) * phiClean ** 1.3 * (1 - 0.03 * F) * (1 + 0.12 * f.surge)
  const sm = surgeLine(phi, F) / pr - 1
  // Below 5% margin the flow starts to stall and reverse: flow, pressure and vibration shake.
  const shake = Math.max(0, Math.min(1, (0.05 - sm) / 0.05))
  const eta = ETA0 - 0.25 * (n - 1) ** 2 - 0.06 * (1 - s.igv / 100) ** 2 - 0.05 * F - 0.04 * shake
  const p1 = pa - 0.01 * phi * phi
  let mdot = (MDOT0 * phi * (p1 / 1.01325)) / Math.sqrt(theta)
  let p2 = p1 * pr
  const t2 = t1 * (1 + (pr ** K - 1) / eta)
  const powerMw = (mdot * CP * (t2 - t1)) / 1000
  const r2 = (s.speed / N0) ** 2
  s.bearingT += (ta + bearingRise(r2, f.bearing) - s.bearingT) * k.bearing
  let vib = 2.2 + 1.2 * r2
  if (f.bearing > 0) vib += f.bearing * (7 + Math.abs(frng.gauss()))
  if (shake > 0) {
    mdot *= 1 - 0.06 * shake * Math.abs(frng.gauss())
    p2 *= 1 + 0.03 * shake * frng.gauss()
    vib += 5 * shake * (1 + Math.abs(frng.gauss()))
  }
  s.truth.fouling = F
  s.truth.health = Math.max(0, Math.min(1, 1 - F))
  s.truth.efficiency = eta
  s.truth.surgeMargin = sm

  read(cols, i, 0, ta, rng)
  read(cols, i, 1, pa, rng)
  const p1m = read(cols, i, 2, p1, rng)
  const t1m = read(cols, i, 3, t1 - 273.15, rng) + 273.15
  const p2m = read(cols, i, 4, p2, rng)
  const t2m = read(cols, i, 5, t2 - 273.15, rng) + 273.15
  const mdotm = read(cols, i, 6, mdot, rng)
  read(cols, i, 7, s.speed, rng)
  read(cols, i, 8, s.igv, rng)
  cols[9]![i] = Math.max(0, vib + NOISE[9] * rng.gauss())
  read(cols, i, 10, s.bearingT, rng)
  read(cols, i, 11, powerMw, rng)
  // What a performance monitor computes from the instruments, so instrument noise shows in them.
  const prm = p2m / p1m
  cols[12]![i] = (100 * t1m * (prm ** K - 1)) / (t2m - t1m)
  const phim = (mdotm * Math.sqrt(t1m / 288.15)) / (p1m / 1.01325) / MDOT0
  cols[13]![i] = 100 * (surgeLine(phim, F) / prm - 1)
  s.count++
}

/** The instrument's reading of a true value, written to row i of tag j. */
function read(cols: Float64Array[], i: number, j: number, v: number, rng: Rng): number {
  return (cols[j]![i] = v + NOISE[j]! * rng.gauss())
}

/** A steady operating point: setpoints reached, fouling frozen, no process fault, no noise. */
export interface CompressorPoint {
  /** Corrected speed N / N0 / sqrt(T1 / 288.15). */
  n: number
  /** Corrected flow fraction with fouling (1 = design flow). */
  phi: number
  inletBar: number
  inletK: number
  pressureRatio: number
  dischargeBar: number
  dischargeK: number
  massFlowKgS: number
  efficiency: number
  powerMw: number
  /** Fraction: 0.2 is 20 % above the operating point's pressure ratio. */
  surgeMargin: number
  /** Steady bearing temperature above ambient without wear (C); the measured one lags it by minutes. */
  bearingRiseC: number
}

/**
 * What stepCompressor computes at steady state (no faults, below the stall region of 5 %
 * margin), as one pure function: what an optimizer evaluates candidate setpoints with.
 * The expressions are stepCompressor's, in its order, so its truth equals this exactly
 * (compressor-steady.test.ts holds that).
 */
export function compressorSteadyState(
  ambientC: number,
  ambientBar: number,
  speedRpm: number,
  igvPct: number,
  fouling: number,
): CompressorPoint {
  const t1 = ambientC + 273.15 + 0.3
  const theta = t1 / 288.15
  const n = speedRpm / N0 / Math.sqrt(theta)
  const g = 0.55 + 0.45 * (igvPct / 100)
  const phiClean = n ** 1.4 * g
  const F = fouling
  const phi = phiClean * (1 - 0.06 * F)
  const pr = 1 + (PR0 - 1) * phiClean ** 1.3 * (1 - 0.03 * F)
  const sm = surgeLine(phi, F) / pr - 1
  const shake = Math.max(0, Math.min(1, (0.05 - sm) / 0.05))
  const eta = ETA0 - 0.25 * (n - 1) ** 2 - 0.06 * (1 - igvPct / 100) ** 2 - 0.05 * F - 0.04 * shake
  const p1 = ambientBar - 0.01 * phi * phi
  const mdot = (MDOT0 * phi * (p1 / 1.01325)) / Math.sqrt(theta)
  const t2 = t1 * (1 + (pr ** K - 1) / eta)
  return {
    n,
    phi,
    inletBar: p1,
    inletK: t1,
    pressureRatio: pr,
    dischargeBar: p1 * pr,
    dischargeK: t2,
    massFlowKgS: mdot,
    efficiency: eta,
    powerMw: (mdot * CP * (t2 - t1)) / 1000,
    surgeMargin: sm,
    bearingRiseC: bearingRise((speedRpm / N0) ** 2, 0),
  }
}

/** Pressure ratio at which the compressor surges at corrected-flow fraction phi; fouling lowers it. */
function surgeLine(phi: number, fouling: number): number {
  return 1 + (PRS0 - 1) * Math.max(0, phi) ** 1.1 * (1 - 0.06 * fouling)
}
