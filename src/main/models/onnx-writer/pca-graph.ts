import type { PcaModel } from '../fit/pca-fit.ts'
import { CONTRIB_EPSILON } from '../fit/pca-stats.ts'
import { encodeModel, floats, int64s, node, tensorValue } from './onnx-builder.ts'

/*
 * The fitted PCA detector as a standard ONNX graph: raw values in, the statistics of
 * fit/pca-stats.ts out, so any ONNX runtime (and Vigil's scoring path) runs it without
 * knowing it was fitted here. Row by row:
 *
 *   x ─Sub(mean)─Div(std)─▶ z ─MatMul(PΛ^-½)─▶ u ─ReduceSumSquare─▶ t2
 *                           z ─MatMul(I−PPᵀ)─▶ r ─ReduceSumSquare─▶ q
 *   score   = Max(t2 / T²lim, q / Qlim)
 *   contrib = c / Σc, c = (u Pᵀ)² / T²lim + r² / Qlim + ε/F
 */

/** Graph input and output names of every fitted PCA model (the card repeats them). */
export const PCA_IO = { input: 'x', score: 'score', t2: 't2', q: 'q', contrib: 'contrib' } as const

export function pcaToOnnx(m: PcaModel, producerVersion: string): Uint8Array {
  const F = m.tags.length
  const k = m.components
  const P = m.loadings
  const scaled = new Float64Array(F * k)
  const Pt = new Float64Array(k * F)
  for (let j = 0; j < F; j++)
    for (let a = 0; a < k; a++) {
      scaled[j * k + a] = P[j * k + a]! / Math.sqrt(m.eigenvalues[a]!)
      Pt[a * F + j] = P[j * k + a]!
    }
  // The mean as float32 hi + lo: x − hi is exact near the mean (Sterbenz), so centring keeps
  // a tag's small spread even when its level is large (a float32 mean alone is off by up to
  // 6e-8 of the level, e.g. 5e-4 bar on 8,000: more than the noise of a steady tag).
  const meanHi = Float32Array.from(m.mean)
  const meanLo = Float64Array.from(m.mean, (v, j) => v - meanHi[j]!)
  // The residual projector in float64 first: I − PPᵀ rounded once, not built from rounded P.
  const R = new Float64Array(F * F)
  for (let i = 0; i < F; i++)
    for (let j = 0; j < F; j++) {
      let s = 0
      for (let a = 0; a < k; a++) s += P[i * k + a]! * P[j * k + a]!
      R[i * F + j] = (i === j ? 1 : 0) - s
    }

  const { input, score, t2, q, contrib } = PCA_IO
  const nodes = [
    node('Sub', [input, 'mean_hi'], 'centred_hi'),
    node('Sub', ['centred_hi', 'mean_lo'], 'centred'),
    node('Div', ['centred', 'std'], 'z'),
    node('MatMul', ['z', 'scores_scale'], 'u'),
    node('ReduceSumSquare', ['u'], t2, { axes: [1], keepdims: 0 }),
    node('MatMul', ['z', 'residual_projector'], 'r'),
    node('ReduceSumSquare', ['r'], q, { axes: [1], keepdims: 0 }),
    node('Mul', [t2, 'inv_t2_limit'], 't2_ratio'),
    node('Mul', [q, 'inv_q_limit'], 'q_ratio'),
    node('Max', ['t2_ratio', 'q_ratio'], score),
    node('MatMul', ['u', 'loadings_t'], 'v'),
    node('Mul', ['v', 'v'], 'v2'),
    node('Mul', ['v2', 'inv_t2_limit'], 'v2_ratio'),
    node('Mul', ['r', 'r'], 'r2'),
    node('Mul', ['r2', 'inv_q_limit'], 'r2_ratio'),
    node('Add', ['v2_ratio', 'r2_ratio'], 'c_raw'),
    node('Add', ['c_raw', 'epsilon'], 'c'),
    node('ReduceSum', ['c', 'axis_1'], 'c_total', { keepdims: 1 }),
    node('Div', ['c', 'c_total'], contrib),
  ]
  const initializers = [
    floats('mean_hi', [F], meanHi),
    floats('mean_lo', [F], meanLo),
    floats('std', [F], m.std),
    floats('scores_scale', [F, k], scaled),
    floats('residual_projector', [F, F], R),
    floats('loadings_t', [k, F], Pt),
    floats('inv_t2_limit', [], [1 / m.t2Limit]),
    floats('inv_q_limit', [], [1 / m.qLimit]),
    floats('epsilon', [], [CONTRIB_EPSILON / F]),
    int64s('axis_1', [1]),
  ]
  const doc =
    `PCA detector fitted by Vigil on ${m.training.rows} rows of ${F} tags: ${k} components ` +
    `explain ${(m.explained * 100).toFixed(1)}% of the standardised variance; limits at the ` +
    `${m.percentile}th percentile of the training T² (${m.t2Limit.toPrecision(6)}) and Q (${m.qLimit.toPrecision(6)}).`
  return encodeModel(
    {
      name: 'vigil_pca',
      doc,
      nodes,
      initializers,
      inputs: [tensorValue(input, ['batch', F], `raw values of ${m.tags.join(', ')}`)],
      outputs: [
        tensorValue(score, ['batch'], 'max(T²/T²lim, Q/Qlim): above 1 is anomalous'),
        tensorValue(t2, ['batch'], 'Hotelling T² in the model plane'),
        tensorValue(q, ['batch'], 'Q (SPE): squared residual off the plane'),
        tensorValue(contrib, ['batch', F], "each tag's share of the combined index; a row sums to 1"),
      ],
      metadata: { 'vigil.kind': 'pca', 'vigil.tags': JSON.stringify(m.tags) },
    },
    producerVersion,
  )
}
