import type { AeModel } from '../fit/ae-fit.ts'
import { encodeModel, floats, int64s, node, tensorValue } from './onnx-builder.ts'

/*
 * The fitted autoencoder as a standard ONNX graph for the 'autoencoder' kind: the scorer
 * (autoencoder.ts) feeds min-max scaled windows [batch, window, tags] and takes the mean
 * absolute difference between the graph's output and its input as the score. Row by row:
 *
 *   x ─Reshape[-1,F]─Sub(μ)─Div(σ)─▶ z ─MatMul+Add─Tanh─MatMul+Add─Tanh─MatMul+Add─Tanh─MatMul+Add─▶ r
 *   out = x + (r − z) · weight        ─Reshape[-1, window, F]─▶ reconstruction
 *
 * μ and σ are the training mean and spread in min-max units. The output is the input plus
 * the weighted residual, so |out − x| is each tag's error in units of its own normal error,
 * as ae-fit.ts scores it (models/skab-ae exports the same form).
 */

/** Graph input and output names of every fitted autoencoder (the card repeats them). */
export const AE_IO = { input: 'window', output: 'reconstruction' } as const

export function aeToOnnx(m: AeModel, producerVersion: string): Uint8Array {
  const F = m.tags.length
  const W = m.window
  const range = Float64Array.from(m.max, (hi, j) => (hi > m.min[j]! ? hi - m.min[j]! : 1))
  const mu = Float64Array.from(m.mean, (v, j) => (v - m.min[j]!) / range[j]!)
  const sigma = Float64Array.from(m.std, (v, j) => v / range[j]!)

  const nodes = [
    node('Reshape', [AE_IO.input, 'rows_shape'], 'x'),
    node('Sub', ['x', 'mu'], 'centred'),
    node('Div', ['centred', 'sigma'], 'z'),
  ]
  const initializers = [
    int64s('rows_shape', [-1, F]),
    int64s('windows_shape', [-1, W, F]),
    floats('mu', [F], mu),
    floats('sigma', [F], sigma),
    floats('weight', [F], m.weight),
  ]
  const L = m.net.w.length
  let h = 'z'
  for (let l = 0; l < L; l++) {
    const [nIn, nOut] = [m.net.sizes[l]!, m.net.sizes[l + 1]!]
    initializers.push(floats(`w${l}`, [nIn, nOut], m.net.w[l]!), floats(`b${l}`, [nOut], m.net.b[l]!))
    nodes.push(node('MatMul', [h, `w${l}`], `h${l}_mm`), node('Add', [`h${l}_mm`, `b${l}`], `h${l}_lin`))
    h = `h${l}_lin`
    if (l + 1 < L) {
      nodes.push(node('Tanh', [h], `h${l}`))
      h = `h${l}`
    }
  }
  nodes.push(
    node('Sub', [h, 'z'], 'residual'),
    node('Mul', ['residual', 'weight'], 'weighted'),
    node('Add', ['x', 'weighted'], 'out_rows'),
    node('Reshape', ['out_rows', 'windows_shape'], AE_IO.output),
  )
  const doc =
    `Autoencoder fitted by Vigil on ${m.training.rows} rows of ${F} tags: ${m.net.sizes.join('-')} ` +
    `tanh network; output = input + weighted residual, so the mean absolute difference over a ` +
    `${W}-row window is the score; threshold ${m.threshold.toPrecision(6)} (the ${m.percentile}th ` +
    `percentile of the training windows).`
  return encodeModel(
    {
      name: 'vigil_ae',
      doc,
      nodes,
      initializers,
      inputs: [tensorValue(AE_IO.input, ['batch', W, F], `min-max scaled ${m.tags.join(', ')}`)],
      outputs: [
        tensorValue(AE_IO.output, ['batch', W, F], 'input + residual in units of each tag’s normal error'),
      ],
      metadata: { 'vigil.kind': 'autoencoder', 'vigil.tags': JSON.stringify(m.tags) },
    },
    producerVersion,
  )
}
