import { Rng } from './rng.ts'

/*
 * Centrifugal pump P-101 as a pure state and step function: no timers, no allocation per step.
 * Speed is the operating point: flow follows it linearly, head (pressure rise) with its square
 * and shaft power (motor current) with its cube, the affinity laws. Bearing and casing
 * temperatures chase a load-dependent rise over ambient through first-order lags of minutes,
 * and ambient follows the sun. Process faults arrive as intensities in 0..1 (faults.ts).
 */

export const PUMP_TAGS = [
  'Motor_RPM',
  'Bearing_Temperature_C',
  'Oil_Pressure_bar',
  'Vibration_mm_s',
  'Flow_Rate_L_min',
  'Suction_Pressure_bar',
  'Discharge_Pressure_bar',
  'Motor_Current_A',
  'Casing_Temperature_C',
  'Ambient_Temperature_C',
] as const
export type PumpTag = (typeof PUMP_TAGS)[number]

/** Measurement noise, one sigma in the tag's unit, in PUMP_TAGS order. */
export const NOISE = [2, 0.15, 0.03, 0.12, 6, 0.02, 0.05, 0.4, 0.1, 0.1] as const
/** A typical reading per tag, which sizes sensor spikes. */
export const TYPICAL = [2900, 63, 3, 2.4, 1500, 1.9, 12.4, 75, 45, 25] as const

export const SPEED_BAND = [2600, 3000] as const
const N0 = 2900 // design speed, rpm
const Q0 = 1500 // flow at design speed, L/min
const H0 = 10.5 // pressure rise at design speed, bar
const RAMP_RPM_S = 8 // the drive's speed ramp
const TAU_BEARING_S = 240
const TAU_CASING_S = 900
const TAU_DEMAND_S = 120
const TAU_WEATHER_S = 3600
const DAY_MS = 86_400_000

/** How far each process fault has progressed, 0 (absent) to 1 (full severity). */
export interface ProcessFaults {
  bearing: number
  cavitation: number
  seal: number
}

export interface PumpState {
  /** Process and measurement noise. */
  rng: Rng
  /** Fault randomness, kept apart so injecting a fault leaves the normal noise sequence intact. */
  frng: Rng
  t0Ms: number
  dtS: number
  /** Samples stepped so far; the next sample's time is t0Ms + count * dtS * 1000. */
  count: number
  speed: number
  setpoint: number
  nextChangeMs: number
  bearingT: number
  casingT: number
  /** Slow system-demand wander, a fraction of flow. */
  demand: number
  /** Slow weather deviation of ambient, C. */
  weather: number
  /** A decaying cavitation vibration burst, mm/s. */
  burst: number
  k: {
    bearing: number
    casing: number
    demandA: number
    demandK: number
    weatherA: number
    weatherK: number
    burst: number
  }
}

const ambientBase = (tMs: number) => 25 + 6 * Math.sin((2 * Math.PI * ((tMs % DAY_MS) / 3_600_000 - 8)) / 24)
const bearingRise = (r3: number, f: ProcessFaults) => 14 + 24 * r3 + 35 * f.bearing + 4 * f.seal
const casingRise = (r3: number, f: ProcessFaults) => 8 + 12 * r3 + 3 * f.bearing
const NO_FAULTS: ProcessFaults = { bearing: 0, cavitation: 0, seal: 0 }

export const pumpTimeMs = (s: PumpState) => s.t0Ms + s.count * s.dtS * 1000

/** A pump at thermal equilibrium at a random operating point, so a run starts without a warm-up transient. */
export function createPump(seed: number, startMs: number, rateHz: number): PumpState {
  const rng = new Rng(seed)
  const dtS = 1 / rateHz
  const ar = (tau: number, sd: number) => [
    Math.exp(-dtS / tau),
    sd * Math.sqrt(1 - Math.exp((-2 * dtS) / tau)),
  ]
  const [demandA, demandK] = ar(TAU_DEMAND_S, 0.01)
  const [weatherA, weatherK] = ar(TAU_WEATHER_S, 1)
  const setpoint = SPEED_BAND[0] + rng.next() * (SPEED_BAND[1] - SPEED_BAND[0])
  const weather = rng.gauss()
  const r3 = (setpoint / N0) ** 3
  const ta = ambientBase(startMs) + weather
  return {
    rng,
    frng: new Rng(~seed),
    t0Ms: startMs,
    dtS,
    count: 0,
    speed: setpoint,
    setpoint,
    nextChangeMs: startMs + (600 + 1800 * rng.next()) * 1000,
    bearingT: ta + bearingRise(r3, NO_FAULTS),
    casingT: ta + casingRise(r3, NO_FAULTS),
    demand: 0.01 * rng.gauss(),
    weather,
    burst: 0,
    k: {
      bearing: 1 - Math.exp(-dtS / TAU_BEARING_S),
      casing: 1 - Math.exp(-dtS / TAU_CASING_S),
      demandA: demandA!,
      demandK: demandK!,
      weatherA: weatherA!,
      weatherK: weatherK!,
      burst: Math.exp(-dtS / 2),
    },
  }
}

/** Advances one sample and writes its readings into row i of cols (PUMP_TAGS order). */
export function stepPump(s: PumpState, f: ProcessFaults, cols: Float64Array[], i: number): void {
  const { rng, frng, k, dtS } = s
  const tMs = pumpTimeMs(s)
  if (tMs >= s.nextChangeMs) {
    s.setpoint = SPEED_BAND[0] + rng.next() * (SPEED_BAND[1] - SPEED_BAND[0])
    s.nextChangeMs = tMs + (600 + 1800 * rng.next()) * 1000
  }
  const maxStep = RAMP_RPM_S * dtS
  s.speed += Math.max(-maxStep, Math.min(maxStep, s.setpoint - s.speed))
  s.demand = s.demand * k.demandA + k.demandK * rng.gauss()
  s.weather = s.weather * k.weatherA + k.weatherK * rng.gauss()

  const ta = ambientBase(tMs) + s.weather
  const r = s.speed / N0
  const r2 = r * r
  const r3 = r2 * r
  s.bearingT += (ta + bearingRise(r3, f) - s.bearingT) * k.bearing
  s.casingT += (ta + casingRise(r3, f) - s.casingT) * k.casing

  let flow = Q0 * r * (1 + s.demand)
  const q = flow / Q0
  let suction = 2.2 - 0.3 * q * q
  let rise = H0 * r2 * (1 - 0.5 * s.demand)
  let amps = 18 + 57 * r3 * (1 + 0.5 * s.demand) + 1.5 * f.bearing
  let vib = 1.8 + 0.6 * r2
  // Warmer oil is thinner: oil pressure sags as the bearing heats.
  const oil = 1 + 2 * r2 - 0.01 * (s.bearingT - 60) - 2.2 * f.seal

  if (f.bearing > 0) vib += f.bearing * (8.5 + Math.abs(frng.gauss()))
  if (f.cavitation > 0) {
    const c = f.cavitation
    if (frng.next() < 0.3 * c * dtS) s.burst += 3 + 3 * frng.next()
    const wobble = Math.sin((2 * Math.PI * tMs) / 6000)
    suction -= 1.7 * c
    flow *= 1 - c * (0.06 + 0.05 * wobble + 0.03 * frng.gauss())
    rise -= c * (1 + 0.5 * wobble)
    amps -= 3 * c
    vib += 1.5 * c
  }
  vib += s.burst
  s.burst *= k.burst

  cols[0]![i] = s.speed + NOISE[0] * rng.gauss()
  cols[1]![i] = s.bearingT + NOISE[1] * rng.gauss()
  cols[2]![i] = oil + NOISE[2] * rng.gauss()
  cols[3]![i] = Math.max(0, vib + NOISE[3] * rng.gauss())
  cols[4]![i] = Math.max(0, flow + NOISE[4] * rng.gauss())
  cols[5]![i] = suction + NOISE[5] * rng.gauss()
  cols[6]![i] = suction + rise + NOISE[6] * rng.gauss()
  cols[7]![i] = amps + NOISE[7] * rng.gauss()
  cols[8]![i] = s.casingT + NOISE[8] * rng.gauss()
  cols[9]![i] = ta + NOISE[9] * rng.gauss()
  s.count++
}
