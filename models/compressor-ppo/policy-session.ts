/*
 * Opens the shipped compressor-ppo for its tests through the registry (which checks the card,
 * its hash and the graph's [batch, tags] input) and the project's ONNX session. Also the
 * grid-search ceiling the tests measure the policy against, written apart from
 * setpoint-advice.ts so the two check each other.
 */
import * as ort from 'onnxruntime-node'
import type { ModelCard } from '../../src/shared/model-card.ts'
import { openSession } from '../../src/main/models/onnx-session.ts'
import { loadModel } from '../../src/main/models/registry.ts'
import {
  compressorSteadyState,
  IGV_LIMITS,
  SPEED_LIMITS,
} from '../../src/main/sources/simulator/compressor-physics.ts'

export interface PolicyModel {
  card: ModelCard
  /** Actions [n * 2] for n scaled observation rows [n * tags]. */
  act(rows: Float32Array, n: number): Promise<Float32Array>
  close(): Promise<void>
}

export async function openPolicy(): Promise<PolicyModel> {
  const m = loadModel(new URL('./', import.meta.url).pathname)
  const { card } = m
  const session = await openSession(m, [card.outputs.name])
  const F = card.inputs.tags.length
  return {
    card,
    async act(rows, n) {
      const out = await session.run({ [card.inputs.name]: new ort.Tensor('float32', rows, [n, F]) })
      return out[card.outputs.name]!.data as Float32Array
    },
    close: () => session.release(),
  }
}

/**
 * The least-power point for the flow at (speed, igv): every IGV on a 0.1 % grid, the speed
 * that gives the same flow by bisection, within the setpoint limits. Ignores constraints
 * other than the limits (the tests' states keep them).
 */
export function gridOptimum(
  ambientC: number,
  ambientBar: number,
  fouling: number,
  speed: number,
  igv: number,
) {
  const p = (s: number, v: number) => compressorSteadyState(ambientC, ambientBar, s, v, fouling)
  const p0 = p(speed, igv)
  let best = { speed, igv, powerSavedKw: 0 }
  for (let v = IGV_LIMITS[0]; v <= IGV_LIMITS[1] + 1e-9; v += 0.1) {
    let lo: number = SPEED_LIMITS[0]
    let hi: number = SPEED_LIMITS[1]
    if (p(lo, v).massFlowKgS > p0.massFlowKgS || p(hi, v).massFlowKgS < p0.massFlowKgS) continue
    for (let k = 0; k < 50; k++) {
      const mid = (lo + hi) / 2
      if (p(mid, v).massFlowKgS < p0.massFlowKgS) lo = mid
      else hi = mid
    }
    const saved = 1000 * (p0.powerMw - p((lo + hi) / 2, v).powerMw)
    if (saved > best.powerSavedKw) best = { speed: (lo + hi) / 2, igv: v, powerSavedKw: saved }
  }
  return best
}
