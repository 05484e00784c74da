import { describe, expect, it } from 'vitest'
import {
  ambientBase,
  COMPRESSOR_TAGS,
  compressorSteadyState,
  compressorTimeMs,
  createCompressor,
  stepCompressor,
} from './compressor-physics.ts'

/*
 * compressorSteadyState is what the setpoint advisor and the compressor-ppo training port
 * evaluate; it must be the simulator's physics, not a look-alike.
 */

const noon = Date.UTC(2024, 5, 1, 12)
const healthy = { fouling: 0, surge: 0, bearing: 0 }
const col = (tag: (typeof COMPRESSOR_TAGS)[number]) => COMPRESSOR_TAGS.indexOf(tag)

function heldRun(F: number, rpm: number, igv: number, seed: number) {
  const s = createCompressor(seed, noon, 1, { fouling0: F, foulingHours: 1e12 })
  s.held = { speed: true, igv: true }
  s.speed = s.speedSp = rpm
  s.igv = s.igvSp = igv
  return s
}

describe('compressorSteadyState', () => {
  it.each([
    [0, 14_100, 100, 1],
    [0.4, 13_400, 70, 2],
    [1.2, 12_700, 45, 3],
    [0.8, 14_500, 90, 4],
  ])('equals the simulator step exactly at F %f, %i rpm, IGV %i %%', (F, rpm, igv, seed) => {
    const s = heldRun(F, rpm, igv, seed)
    const cols = COMPRESSOR_TAGS.map(() => new Float64Array(1))
    const tMs = compressorTimeMs(s)
    stepCompressor(s, healthy, cols, 0)
    // The step's own ambient: the daily cycle plus the weather and barometer it drew.
    const p = compressorSteadyState(ambientBase(tMs) + s.weather, 1.013 + s.baro, rpm, igv, s.truth.fouling)
    expect(p.efficiency).toBe(s.truth.efficiency)
    expect(p.surgeMargin).toBe(s.truth.surgeMargin)
  })

  it('gives the flow, pressures, temperatures and power the instruments read on average', () => {
    const s = heldRun(0.3, 13_800, 85, 7)
    const n = 600
    const cols = COMPRESSOR_TAGS.map(() => new Float64Array(n))
    const want = { flow: 0, p2: 0, t2: 0, power: 0 }
    for (let i = 0; i < n; i++) {
      const tMs = compressorTimeMs(s)
      stepCompressor(s, healthy, cols, i)
      const p = compressorSteadyState(
        ambientBase(tMs) + s.weather,
        1.013 + s.baro,
        13_800,
        85,
        s.truth.fouling,
      )
      want.flow += p.massFlowKgS / n
      want.p2 += p.dischargeBar / n
      want.t2 += (p.dischargeK - 273.15) / n
      want.power += p.powerMw / n
    }
    const mean = (v: Float64Array) => v.reduce((a, x) => a + x, 0) / v.length
    // Means of 600 noisy readings: within a few standard errors of the noise (0.15 kg/s, 0.03 bar, 0.6 K, 0.04 MW).
    expect(mean(cols[col('Mass_Flow_kg_s')]!)).toBeCloseTo(want.flow, 1)
    expect(mean(cols[col('Discharge_Pressure_bar')]!)).toBeCloseTo(want.p2, 1)
    expect(Math.abs(mean(cols[col('Discharge_Temperature_C')]!) - want.t2)).toBeLessThan(0.15)
    expect(mean(cols[col('Power_MW')]!)).toBeCloseTo(want.power, 1)
  })
})
