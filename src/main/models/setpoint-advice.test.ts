import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SetpointAdvice } from '../../shared/suggestion.ts'
import { gridOptimum, openPolicy, type PolicyModel } from '../../../models/compressor-ppo/policy-session.ts'
import { COMPRESSOR_TAGS } from '../sources/simulator/compressor-physics.ts'
import {
  compressorSetpoints,
  createCompressorRun,
  fillCompressor,
  type CompressorRun,
} from '../sources/simulator/compressor-run.ts'
import { adviseSetpoints, inferFouling, MAX_STEP, policyObservation } from './setpoint-advice.ts'

/*
 * The shipped compressor-ppo through onnxruntime, on the real simulator: a suggestion is
 * applied to one of two twin runs (same seed, same noise) and the other holds its setpoints,
 * so what differs between them is what the suggestion did.
 */

let model: PolicyModel
beforeAll(async () => {
  model = await openPolicy()
})
afterAll(() => model.close())

const startMs = Date.UTC(2024, 6, 2, 9)

interface Twin {
  run: CompressorRun
  cols: Float64Array[]
  t: Float64Array
}

/** A compressor run stepped n seconds at 1 Hz; the last row's values and means over the last `tail` rows. */
function step(tw: Twin, n: number, tail = n) {
  if (tw.cols[0]!.length < n) {
    tw.cols = COMPRESSOR_TAGS.map(() => new Float64Array(n))
    tw.t = new Float64Array(n)
  }
  fillCompressor(tw.run, tw.t, tw.cols, 0, n)
  const last = Object.fromEntries(COMPRESSOR_TAGS.map((tag, j) => [tag, tw.cols[j]![n - 1]!]))
  const mean = Object.fromEntries(
    COMPRESSOR_TAGS.map((tag, j) => [
      tag,
      tw.cols[j]!.subarray(n - tail, n).reduce((a, x) => a + x, 0) / tail,
    ]),
  )
  return { last, mean }
}

function twin(
  seed: number,
  fouling0: number,
  faults: Parameters<CompressorRun['faults']['inject']>[] = [],
): Twin {
  const run = createCompressorRun(seed, startMs, 1, { fouling0 })
  for (const [f, since] of faults) run.faults.inject(f, since)
  return { run, cols: [new Float64Array(0)], t: new Float64Array(0) }
}

async function advise(values: Record<string, number>) {
  const action = await model.act(policyObservation(model.card, values), 1)
  const advice = adviseSetpoints({ assetId: 'C-201', at: 0, card: model.card, values, action })
  expect(SetpointAdvice.parse(advice)).toEqual(advice)
  return advice
}

describe('setpoint advice from compressor-ppo', () => {
  it('suggests steps that save power at the same air flow, inside the step size and the surge margin', async () => {
    let made = 0
    let predicted = 0
    let measured = 0
    for (let seed = 1; seed <= 10; seed++) {
      const a = twin(seed, (seed % 5) * 0.2)
      const b = twin(seed, (seed % 5) * 0.2)
      // Different times of day and schedule setpoints: 20 min to 3 h 20 min in.
      const warm = 1200 + seed * 1080
      step(a, warm)
      step(b, warm)
      // Advice is for steady running: hold where the schedule went and let speed and vanes settle.
      for (const tw of [a, b]) {
        const c = compressorSetpoints(tw.run)
        c.set('Shaft_Speed_rpm', tw.run.state.speedSp)
        c.set('IGV_Position_pct', tw.run.state.igvSp)
      }
      // One reading of speed and vanes is off by ~0.05 % of flow in noise, worth ~10 kW: advise on
      // a minute's means (the validated stream's rolling mean does the same in the app).
      const now = step(a, 120, 60).mean
      step(b, 120)
      const advice = await advise(now)
      if (!advice.suggestion) {
        expect(advice.why).toMatch(/^No suggestion: /)
        continue
      }
      made++
      const s = advice.suggestion
      const [speed, igv] = s.moves
      expect(Math.abs(speed!.suggested - speed!.current)).toBeLessThanOrEqual(MAX_STEP.Shaft_Speed_rpm + 1e-6)
      expect(Math.abs(igv!.suggested - igv!.current)).toBeLessThanOrEqual(MAX_STEP.IGV_Position_pct + 1e-6)
      expect(Math.abs(s.duty.changePct)).toBeLessThan(1e-4)
      expect(s.gain.powerKw).toBeGreaterThanOrEqual(model.card.threshold.value)
      for (const m of s.margins) expect(m.margin).toBeGreaterThan(0)
      expect(advice.why).toContain('kW less')

      // Apply it to one twin; the other keeps holding where it was.
      const ca = compressorSetpoints(a.run)
      ca.set('Shaft_Speed_rpm', speed!.suggested)
      ca.set('IGV_Position_pct', igv!.suggested)
      const after = step(a, 600, 300).mean
      const held = step(b, 600, 300).mean
      const savedKw = 1000 * (held.Power_MW! - after.Power_MW!)
      predicted += s.gain.powerKw
      measured += savedKw
      console.log(
        `  seed ${seed}: predicted ${s.gain.powerKw.toFixed(1)} kW, measured ${savedKw.toFixed(1)} kW`,
      )
      expect(savedKw).toBeGreaterThan(0)
      expect(Math.abs(after.Mass_Flow_kg_s! / held.Mass_Flow_kg_s! - 1)).toBeLessThan(2e-4)
      expect(after.Surge_Margin_pct!).toBeGreaterThan(10)
      expect(Math.abs(after.Surge_Margin_pct! - held.Surge_Margin_pct!)).toBeLessThan(0.1)
    }
    console.log(
      `setpoint advice: ${made} suggestions in 10 simulator states; predicted ${predicted.toFixed(0)} kW saved, ` +
        `the twin runs measured ${measured.toFixed(0)} kW`,
    )
    expect(made).toBeGreaterThanOrEqual(3)
    expect(Math.abs(measured / predicted - 1)).toBeLessThan(0.25)
  })

  it('makes one where moving is worth it, and none once at the grid optimum for the flow asked', async () => {
    let checked = 0
    for (let seed = 21; seed <= 60 && checked < 3; seed++) {
      const a = twin(seed, 0.3)
      step(a, 1800)
      const hold = compressorSetpoints(a.run)
      hold.set('Shaft_Speed_rpm', a.run.state.speedSp)
      hold.set('IGV_Position_pct', a.run.state.igvSp)
      const now = step(a, 120, 60).mean
      const F = inferFouling(
        now.Ambient_Temperature_C!,
        now.Ambient_Pressure_bar!,
        now.Shaft_Speed_rpm!,
        now.IGV_Position_pct!,
        now.Isentropic_Efficiency_pct!,
      )
      const best = gridOptimum(
        now.Ambient_Temperature_C!,
        now.Ambient_Pressure_bar!,
        F,
        now.Shaft_Speed_rpm!,
        now.IGV_Position_pct!,
      )
      // Only states where moving is worth twice the threshold, so the silence at the optimum is earned.
      if (best.powerSavedKw < 2 * model.card.threshold.value) continue
      checked++
      expect((await advise(now)).suggestion).not.toBeNull()
      hold.set('Shaft_Speed_rpm', best.speed)
      hold.set('IGV_Position_pct', best.igv)
      const there = await advise(step(a, 180, 60).mean)
      console.log(
        `  seed ${seed}: the grid optimum saved ${best.powerSavedKw.toFixed(1)} kW; there: ${there.why}`,
      )
      expect(there.suggestion).toBeNull()
      expect(there.why).toMatch(/already runs within \d+ kW of its best/)
    }
    expect(checked).toBe(3)
  })

  it('makes none when the surge margin is already below its limit, and says a wash or less flow can help', async () => {
    const a = twin(31, 1.45)
    const c = compressorSetpoints(a.run)
    c.set('Shaft_Speed_rpm', 14_400)
    c.set('IGV_Position_pct', 100)
    const now = step(a, 600).last
    expect(now.Surge_Margin_pct!).toBeLessThan(10)
    const advice = await advise(now)
    expect(advice.suggestion).toBeNull()
    expect(advice.why).toMatch(/surge margin is [\d.]+ % now.*wash/)
  })

  it('names a missing value, and refuses a card that is not a compressor policy', async () => {
    const now = step(twin(41, 0.2), 600).last
    const action = await model.act(policyObservation(model.card, now), 1)
    const values = { ...now, Ambient_Pressure_bar: NaN }
    const advice = adviseSetpoints({ assetId: 'C-201', at: 0, card: model.card, values, action })
    expect(advice.suggestion).toBeNull()
    expect(advice.why).toContain('Ambient_Pressure_bar has no valid value')
    expect(() => policyObservation(model.card, values)).toThrow(
      /input Ambient_Pressure_bar has no valid value/,
    )
    const pump = { ...model.card, id: 'pump-ae', kind: 'autoencoder' as const }
    expect(() => adviseSetpoints({ assetId: 'C-201', at: 0, card: pump, values: now, action })).toThrow(
      /model "pump-ae": kind is "autoencoder"/,
    )
  })
})
