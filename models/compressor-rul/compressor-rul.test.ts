import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPredictor, type Predictor } from '../../src/main/models/predictor.ts'
import { loadModel } from '../../src/main/models/registry.ts'
import { columnsFor, slideWindows } from '../../src/main/models/windows.ts'
import {
  COMPRESSOR_TAGS,
  compressorSteadyState,
} from '../../src/main/sources/simulator/compressor-physics.ts'
import { generateCompressor } from '../../src/main/sources/simulator/compressor-run.ts'
import { navalDecayCheck } from './naval-check.ts'
import { lifeHours, planFor, stretch } from './stretches.ts'

/*
 * The shipped compressor-rul file through the registry and Vigil's predictor against the live
 * compressor simulator code: golden outputs, error in hours on seeds it never saw, life falling
 * as a run fouls; and the features it reads the health from checked against real compressor
 * decay (the naval gas-turbine data).
 */

const dir = new URL('./', import.meta.url).pathname
const golden = JSON.parse(readFileSync(new URL('golden.json', import.meta.url), 'utf8')) as {
  raw: number[][][]
  rul: number[]
  rul_std: number[]
}
let rul: Predictor
beforeAll(async () => {
  rul = await openPredictor(loadModel(dir))
})
afterAll(() => rul.close())

/** Windows of a generated batch every `stride` samples, in the card's tag order. */
function windowsOf(values: Float64Array[], stride: number, what: string) {
  return slideWindows(columnsFor(rul.tags, COMPRESSOR_TAGS, values, what), rul.window, stride)
}

describe('compressor-rul', () => {
  it('reproduces the golden life and spread through onnxruntime and the card scaler', async () => {
    const n = golden.raw.length
    const out = await rul.predict(Float64Array.from(golden.raw.flat(2)), n)
    for (let k = 0; k < n; k++) {
      expect(Math.abs(out.value[k]! - golden.rul[k]!)).toBeLessThan(1e-4 * Math.abs(golden.rul[k]!) + 0.05)
      expect(Math.abs(out.spread![k]! - golden.rul_std[k]!)).toBeLessThan(1e-4 * golden.rul_std[k]! + 0.05)
    }
  })

  it('predicts the hours to the wash limit on unseen seeds within the error its card claims', async () => {
    let se = 0
    let count = 0
    for (let seed = 7001; seed <= 7012; seed++) {
      const p = planFor(seed)
      const truth = Math.min(rul.card.rul!.cap, lifeHours(p))
      const { batch } = stretch(p, 600)
      const w = windowsOf(batch.values, 60, `seed ${seed}`)
      const { value } = await rul.predict(w.data, w.n)
      for (const v of value) {
        se += (v - truth) ** 2 // the 10 minutes elapsed are under 0.2 h: left out of the truth
        count++
      }
    }
    const rmse = Math.sqrt(se / count)
    const claim = (rul.card.metrics as { test: { rmseH: number } }).test.rmseH
    console.log(
      `compressor-rul, 12 unseen seeds, ${count} windows: RMSE ${rmse.toFixed(1)} h (card, test seeds: ${claim} h)`,
    )
    expect(rmse).toBeLessThan(2 * claim + 10)
  })

  it('predicts a shorter life as a run fouls (fouling accelerated to clean-to-limit in 6 h)', async () => {
    const { batch, truth } = generateCompressor({
      seed: 7100,
      startMs: Date.UTC(2024, 5, 1),
      n: 4 * 3600,
      fouling0: 0.2,
      foulingHours: 6,
    })
    const w = windowsOf(batch.values, 600, 'fouling run')
    const { value } = await rul.predict(w.data, w.n)
    const f = Array.from(w.ends, (e) => truth.fouling[e]!)
    console.log(
      `compressor-rul fouling run: fouling ${f[0]!.toFixed(2)} -> ${f.at(-1)!.toFixed(2)}, life ${value[0]!.toFixed(0)} -> ${value.at(-1)!.toFixed(0)} h`,
    )
    expect(f.at(-1)! - f[0]!).toBeGreaterThan(0.4)
    // The life the model reads tracks the health: falls by about what the fouling implies at the design rate.
    let falls = 0
    for (let k = 1; k < value.length; k++) if (value[k]! < value[k - 1]!) falls++
    expect(falls).toBeGreaterThanOrEqual(0.8 * (value.length - 1))
    expect(value[0]! - value.at(-1)!).toBeGreaterThan(0.5 * 1500 * (f.at(-1)! - f[0]!))
  })
})

describe('the health features against real compressor decay (naval gas-turbine data)', () => {
  it('efficiency from T1, T2, P1, P2 rises with kMc and discharge temperature falls, as in C-201 when fouling', async () => {
    const levers = await navalDecayCheck()
    expect(levers).toHaveLength(9)
    for (const l of levers) {
      // Efficiency tracks compressor decay at every lever position, even with turbine decay mixed in.
      expect(l.r.efficiency).toBeGreaterThan(0.8)
      expect(l.perDecay.efficiencyPoints).toBeLessThan(-0.5)
      expect(l.perDecay.efficiencyPoints).toBeGreaterThan(-0.9)
    }
    for (const l of levers.filter((l) => l.lever > 3)) {
      expect(l.r.efficiency).toBeGreaterThan(0.98)
      expect(l.r.dischargeT).toBeLessThan(-0.9) // more decay (lower kMc), hotter discharge
      expect(l.rKmt1.pressureRatio).toBeGreaterThan(0.99) // at kMt = 1 the pressure ratio falls with decay
      expect(l.r.pressureRatio).toBeLessThan(0.5) // ... but turbine decay blurs it: not a health feature alone
      expect(l.perDecay.dischargeK).toBeGreaterThan(2)
      expect(l.perDecay.dischargeK).toBeLessThan(4)
    }
    // Same directions in C-201 going from clean to the wash limit at the design point.
    const clean = compressorSteadyState(15, 1.013, 14_100, 100, 0)
    const fouled = compressorSteadyState(15, 1.013, 14_100, 100, 1)
    expect(fouled.efficiency).toBeLessThan(clean.efficiency)
    expect(fouled.dischargeK).toBeGreaterThan(clean.dischargeK)
    expect(fouled.pressureRatio).toBeLessThan(clean.pressureRatio)
  })
})
