import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { holdDuty, inferFouling, policyObservation } from '../../src/main/models/setpoint-advice.ts'
import {
  COMPRESSOR_TAGS,
  compressorSteadyState,
} from '../../src/main/sources/simulator/compressor-physics.ts'
import { generateCompressor } from '../../src/main/sources/simulator/compressor-run.ts'
import { gridOptimum, openPolicy, type PolicyModel } from './policy-session.ts'

/*
 * The shipped policy file: the card, the graph reproducing what torch saved, and on states of
 * the real simulator (not the Python port it trained on) how much of the grid-search ceiling
 * it reaches at the same air flow.
 */

let model: PolicyModel
beforeAll(async () => {
  model = await openPolicy()
})
afterAll(() => model.close())

const golden = JSON.parse(readFileSync(new URL('./golden.json', import.meta.url), 'utf8')) as {
  tags: string[]
  raw: number[][]
  input: number[][]
  action: number[][]
}

// Debian's Python with numpy, as scripts/train-models.sh installs it; a machine without it skips the port check.
const PYTHON = '/usr/bin/python3'
const hasNumpy = spawnSync(PYTHON, ['-c', 'import numpy']).status === 0
const here = new URL('./', import.meta.url).pathname

describe('compressor-ppo', () => {
  it.skipIf(!hasNumpy)('trained on a Python port that computes what the TypeScript physics computes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'compressor-ppo-'))
    try {
      const points = join(dir, 'points.json')
      execFileSync(process.execPath, [join(here, 'physics-points.ts'), points])
      // compressor_env.py exits non-zero naming the point and quantity past 1e-6 relative.
      const out = execFileSync(PYTHON, [join(here, 'compressor_env.py'), '--check', points], {
        encoding: 'utf8',
      })
      const r = JSON.parse(out) as { points: number; maxRelativeError: number }
      expect(r.points).toBe(500)
      expect(r.maxRelativeError).toBeLessThan(1e-6)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('is a policy card over the compressor setpoints, observing compressor tags', () => {
    const { card } = model
    expect(card.kind).toBe('policy')
    expect(card.inputs.window).toBe(1)
    expect(card.policy!.actions.map((a) => a.tag)).toEqual(['Shaft_Speed_rpm', 'IGV_Position_pct'])
    for (const tag of card.inputs.tags) expect(COMPRESSOR_TAGS).toContain(tag)
    expect(golden.tags).toEqual(card.inputs.tags)
  })

  it("scales raw observations as training did and reproduces torch's actions", async () => {
    const n = golden.raw.length
    const rows = new Float32Array(n * golden.tags.length)
    golden.raw.forEach((raw, i) => {
      const values = Object.fromEntries(golden.tags.map((t, j) => [t, raw[j]!]))
      rows.set(policyObservation(model.card, values), i * golden.tags.length)
      golden.input[i]!.forEach((x, j) => expect(rows[i * golden.tags.length + j]!).toBeCloseTo(x, 4))
    })
    // torch's own scaled input, so only the graph is compared here.
    const out = await model.act(Float32Array.from(golden.input.flat()), n)
    golden.action
      .flat()
      .forEach((a, k) => expect(Math.abs(out[k]! - a)).toBeLessThan(1e-4 * Math.max(1, Math.abs(a))))
  })

  it('reaches most of the grid optimum on states of the simulator it never saw, and never costs power', async () => {
    const states: Record<string, number>[] = []
    for (let seed = 7001; seed <= 7012; seed++) {
      const { batch } = generateCompressor({
        seed,
        startMs: Date.UTC(2024, 2, 1, seed % 24),
        n: 6 * 60,
        rateHz: 1 / 60, // six hours, one sample a minute: the schedule moves every 20-60 min
        fouling0: (seed - 7001) / 10,
      })
      for (let i = 30; i < batch.t.length; i += 30)
        states.push(Object.fromEntries(COMPRESSOR_TAGS.map((t, j) => [t, batch.values[j]![i]!])))
    }
    const F = model.card.inputs.tags.length
    const rows = new Float32Array(states.length * F)
    states.forEach((v, i) => rows.set(policyObservation(model.card, v), i * F))
    const act = await model.act(rows, states.length)
    const { actions } = model.card.policy!
    let policyKw = 0
    let gridKw = 0
    let worse = 0
    states.forEach((v, i) => {
      const plant = {
        ambientC: v.Ambient_Temperature_C!,
        ambientBar: v.Ambient_Pressure_bar!,
        fouling: inferFouling(
          v.Ambient_Temperature_C!,
          v.Ambient_Pressure_bar!,
          v.Shaft_Speed_rpm!,
          v.IGV_Position_pct!,
          v.Isentropic_Efficiency_pct!,
        ),
      }
      const p = (s: number, g: number) =>
        compressorSteadyState(plant.ambientC, plant.ambientBar, s, g, plant.fouling)
      const now = p(v.Shaft_Speed_rpm!, v.IGV_Position_pct!)
      const map = (u: number, a: (typeof actions)[number]) => a.low + ((u + 1) / 2) * (a.high - a.low)
      const to = holdDuty(
        plant,
        model.card.policy!,
        map(act[2 * i]!, actions[0]!),
        map(act[2 * i + 1]!, actions[1]!),
        now.massFlowKgS,
      )
      expect(to).not.toBeNull()
      const saved = 1000 * (now.powerMw - p(to!.speed, to!.igv).powerMw)
      policyKw += saved
      if (saved < -2) worse++
      gridKw += gridOptimum(
        plant.ambientC,
        plant.ambientBar,
        plant.fouling,
        v.Shaft_Speed_rpm!,
        v.IGV_Position_pct!,
      ).powerSavedKw
    })
    console.log(
      `compressor-ppo on ${states.length} simulator states: saves ${(policyKw / states.length).toFixed(1)} kW on average, ` +
        `${((100 * policyKw) / gridKw).toFixed(1)} % of the grid optimum's ${(gridKw / states.length).toFixed(1)} kW; ${worse} states worse than now`,
    )
    expect(policyKw / gridKw).toBeGreaterThan(0.85)
    expect(worse).toBeLessThanOrEqual(states.length * 0.02)
  })
})
