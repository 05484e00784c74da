import { readFileSync } from 'node:fs'
import * as ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'

/*
 * xgboost_onnx.py's output on real data: a booster fitted on the UCI steel plates faults
 * (xgboost_onnx_steel_plates.py, last fold, Other_Faults vs the rest), converted to an ONNX tree
 * ensemble. onnxruntime-node must give xgboost's own predict_proba for held-out plates, also
 * for rows with missing cells, which go the way each split's default direction says.
 */

interface Golden {
  features: string[]
  rows: (number | null)[][]
  p: number[]
}

const golden = JSON.parse(
  readFileSync(new URL('./steel-plates-xgb.golden.json', import.meta.url), 'utf8'),
) as Golden

describe('xgboost_onnx on the steel plates faults', () => {
  it("reproduces xgboost's predict_proba for 120 held-out plates, 60 of them with cells missing", async () => {
    const F = golden.features.length
    const n = golden.rows.length
    const x = Float32Array.from(golden.rows.flat(), (v) => (v === null ? NaN : v))
    const missing = golden.rows.filter((r) => r.some((v) => v === null)).length
    expect(F).toBe(27)
    expect(missing).toBeGreaterThan(40)
    const session = await ort.InferenceSession.create(
      new URL('./steel-plates-xgb.onnx', import.meta.url).pathname,
      { intraOpNumThreads: 1 },
    )
    const out = await session.run({ features: new ort.Tensor('float32', x, [n, F]) })
    const p = out.p!.data as Float32Array
    let worst = 0
    for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(p[i]! - golden.p[i]!))
    await session.release()
    console.log(
      `xgboost_onnx steel plates: largest |onnx - xgboost| over ${n} rows ${worst.toExponential(2)}`,
    )
    expect(worst).toBeLessThan(1e-5)
    // Not a constant model: the held-out probabilities spread across the range.
    expect(Math.max(...golden.p) - Math.min(...golden.p)).toBeGreaterThan(0.5)
  })
})
