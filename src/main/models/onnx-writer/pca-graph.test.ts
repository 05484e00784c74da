import * as ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { readOnnxSignature } from '../onnx-signature.ts'
import { fitPca } from '../fit/pca-fit.ts'
import { pcaStatistics } from '../fit/pca-stats.ts'
import { correlatedColumns, rowMajor } from '../fit/synthetic.ts'
import { PCA_IO, pcaToOnnx } from './pca-graph.ts'

const F = 12
const cols = correlatedColumns(3000, F, 4, 11)
const tags = Array.from({ length: F }, (_, j) => `tag_${j}`)
const model = fitPca(
  cols.map((c) => c.subarray(0, 1500)),
  tags,
)
// Rows the model has not seen, plus the same rows with two sensors pushed off the plane.
const test = rowMajor(cols.map((c) => c.subarray(1500)))
const faulty = Float64Array.from(
  test,
  (v, i) => v + (i % F === 3 ? 5 * model.std[3]! : i % F === 9 ? -4 * model.std[9]! : 0),
)
const x = Float64Array.from([...test, ...faulty], Math.fround)
const n = x.length / F

async function run(bytes: Uint8Array, input: Float64Array) {
  const session = await ort.InferenceSession.create(bytes)
  const rows = input.length / F
  const out = await session.run({
    [PCA_IO.input]: new ort.Tensor('float32', Float32Array.from(input), [rows, F]),
  })
  await session.release()
  return out
}

/** Largest difference relative to max(1, |reference|). */
function worst(got: ArrayLike<number>, want: Float64Array): number {
  let w = 0
  for (let i = 0; i < want.length; i++)
    w = Math.max(w, Math.abs(got[i]! - want[i]!) / Math.max(1, Math.abs(want[i]!)))
  return w
}

describe('the PCA model as an ONNX graph', () => {
  it('declares input x [batch, tags] and outputs score, t2, q [batch] and contrib [batch, tags]', () => {
    const sig = readOnnxSignature(pcaToOnnx(model, '1'), 'pca.onnx')
    expect(sig.inputs).toEqual([{ name: 'x', shape: ['batch', F] }])
    expect(sig.outputs).toEqual([
      { name: 'score', shape: ['batch'] },
      { name: 't2', shape: ['batch'] },
      { name: 'q', shape: ['batch'] },
      { name: 'contrib', shape: ['batch', F] },
    ])
  })

  it('computes in onnxruntime-node what the TypeScript statistics compute, to 1e-4', async () => {
    const out = await run(pcaToOnnx(model, '1'), x)
    const want = {
      t2: new Float64Array(n),
      q: new Float64Array(n),
      score: new Float64Array(n),
      contrib: new Float64Array(n * F),
    }
    pcaStatistics(model, x, n, want)
    for (const k of ['t2', 'q', 'score', 'contrib'] as const)
      expect(worst(out[k]!.data as Float32Array, want[k]), k).toBeLessThan(1e-4)
    // The comparison means something: the faulty half is flagged and blames sensors 3 and 9.
    const score = out.score!.data as Float32Array
    const flagged = (from: number, to: number) =>
      score.subarray(from, to).filter((s) => s > 1).length / (to - from)
    expect(flagged(0, n / 2)).toBeLessThan(0.05)
    expect(flagged(n / 2, n)).toBeGreaterThan(0.95)
    const c = out.contrib!.data as Float32Array
    const row = n / 2 + 7
    const top = Array.from(c.subarray(row * F, row * F + F))
      .map((v, j) => [v, j] as const)
      .sort((a, b) => b[0] - a[0])
      .slice(0, 2)
      .map(([, j]) => j)
    expect(top.sort()).toEqual([3, 9])
  })

  it('keeps a small spread on a large level (the mean is stored as float32 high and low parts)', async () => {
    // A pressure near 8,000 whose spread is 0.002: a float32 mean alone is off by up to 2.4e-4.
    const level = cols.map((c, j) =>
      Float64Array.from(c, (v) => (j === 0 ? 8123.4567 + (0.002 * (v - model.mean[0]!)) / model.std[0]! : v)),
    )
    const m = fitPca(
      level.map((c) => c.subarray(0, 1500)),
      tags,
    )
    const rows = Float64Array.from(rowMajor(level.map((c) => c.subarray(1500, 1600))), Math.fround)
    const out = await run(pcaToOnnx(m, '1'), rows)
    const want = { t2: new Float64Array(100), q: new Float64Array(100) }
    pcaStatistics(m, rows, 100, want)
    expect(worst(out.t2!.data as Float32Array, want.t2)).toBeLessThan(1e-3)
    expect(worst(out.q!.data as Float32Array, want.q)).toBeLessThan(1e-3)
  })
})
