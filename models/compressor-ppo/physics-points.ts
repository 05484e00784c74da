/*
 * Operating points of C-201 computed by the TypeScript physics (compressorSteadyState), for
 * checking the Python port the policy trains on (compressor_env.py --check):
 *   node models/compressor-ppo/physics-points.ts /tmp/compressor-ppo/points.json
 * A seeded spread over ambient, setpoint and fouling ranges wider than the training's, and
 * into the stall region below 5 % surge margin, so every branch of the physics is compared.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import {
  compressorSteadyState,
  IGV_LIMITS,
  SPEED_LIMITS,
} from '../../src/main/sources/simulator/compressor-physics.ts'
import { Rng } from '../../src/main/sources/simulator/rng.ts'

const out = process.argv[2] ?? '/tmp/compressor-ppo/points.json'
const rng = new Rng(20_1)
const span = (lo: number, hi: number) => lo + rng.next() * (hi - lo)
const points = []
for (let i = 0; i < 500; i++) {
  const input = {
    ambientC: span(-15, 45),
    ambientBar: span(0.95, 1.05),
    speedRpm: span(SPEED_LIMITS[0], SPEED_LIMITS[1]),
    igvPct: span(IGV_LIMITS[0], IGV_LIMITS[1]),
    fouling: span(0, 1.5),
  }
  const p = compressorSteadyState(
    input.ambientC,
    input.ambientBar,
    input.speedRpm,
    input.igvPct,
    input.fouling,
  )
  points.push({ in: input, out: p })
}
mkdirSync(dirname(out), { recursive: true })
writeFileSync(out, JSON.stringify({ note: 'compressorSteadyState(in) = out', points }))
const stalled = points.filter((p) => p.out.surgeMargin < 0.05).length
console.log(`${out}: ${points.length} operating points, ${stalled} below 5 % surge margin`)
