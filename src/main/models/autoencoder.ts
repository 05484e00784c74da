import * as ort from 'onnxruntime-node'
import { VigilError } from '../../shared/errors.ts'
import { openSession } from './onnx-session.ts'
import type { ModelCard } from '../../shared/model-card.ts'
import type { LoadedModel } from './registry.ts'
import { oneAtATime } from './one-at-a-time.ts'

export interface AutoencoderScores {
  /** Mean absolute reconstruction error per window, in scaled units; NaN for a window holding a NaN. */
  score: Float64Array
  /**
   * Row-major [n][tags]: each sensor's share of its window's absolute error; a row sums to 1.
   * With the card's inputs.errorBaseline, error up to a sensor's normal level is counted in units
   * of that level, so in a normal window every share is near 1/tags and the sensors that moved
   * dominate (see models/pump-ae/README.md, Contributions).
   */
  contrib: Float64Array
}

export interface Autoencoder {
  readonly card: ModelCard
  /** The card's fields a scorer reads on every batch, hoisted. */
  readonly id: string
  readonly version: string
  readonly tags: string[]
  readonly window: number
  readonly threshold: number
  /**
   * windows: raw values, row-major [n][window][tags] in the card's tag order. One batched
   * inference for all n; calls run one at a time because they share the input buffers.
   */
  score(windows: Float64Array, n: number): Promise<AutoencoderScores>
  close(): Promise<void>
}

export async function openAutoencoder(
  m: LoadedModel,
  opts: { intraOpThreads?: number } = {},
): Promise<Autoencoder> {
  const { card } = m
  const inName = card.inputs.name
  const outName = card.outputs.name
  const session = await openSession(m, [outName], opts)

  const W = card.inputs.window
  const T = card.inputs.tags.length
  const per = W * T
  const min = Float64Array.from(card.inputs.scaler.min)
  // A tag flat in training (max = min) scales by 1 rather than dividing by zero.
  const inv = Float64Array.from(card.inputs.scaler.max, (hi, j) => (hi > min[j]! ? 1 / (hi - min[j]!) : 1))
  // A sensor's error up to its normal level (card errorBaseline) counts as the same typical
  // amount for every sensor, so a noisy sensor does not look guilty in normal running; error
  // beyond it counts at its size in scaled units (fractions of the training range), so the
  // sensors that moved dominate and the spill-over a disturbed window puts on quiet sensors
  // (hundredths of their range) stays small. Without a baseline (base 0, gain 0) shares are raw.
  const base = Float64Array.from(card.inputs.errorBaseline ?? card.inputs.tags.map(() => 0))
  const typical = base.reduce((a, b) => a + b, 0) / T
  const gain = Float64Array.from(base, (b) => (b > 0 ? typical / b : 0))
  let input = new Float32Array(0)
  let bad = new Uint8Array(0)

  async function run(windows: Float64Array, n: number): Promise<AutoencoderScores> {
    if (!Number.isInteger(n) || n < 0 || windows.length < n * per)
      throw new VigilError(
        'bad-request',
        `${card.id}: ${n} windows of ${W} x ${T} need ${n * per} values, got ${windows.length}`,
      )
    const score = new Float64Array(n)
    const contrib = new Float64Array(n * T)
    if (n === 0) return { score, contrib }
    if (input.length < n * per) input = new Float32Array(n * per)
    if (bad.length < n) bad = new Uint8Array(n)
    else bad.fill(0, 0, n)
    for (let w = 0, i = 0; w < n; w++)
      for (let s = 0; s < W; s++)
        for (let j = 0; j < T; j++, i++) {
          const v = (windows[i]! - min[j]!) * inv[j]!
          // One NaN would spread through the LSTM state to the whole window, so feed 0 and report NaN.
          if (v - v !== 0) {
            bad[w] = 1
            input[i] = 0
          } else input[i] = v
        }
    const x = input.subarray(0, n * per)
    const out = await session.run({ [inName]: new ort.Tensor('float32', x, [n, W, T]) })
    const rec = out[outName]!.data as Float32Array
    for (let w = 0; w < n; w++) {
      const c = w * T
      if (bad[w]) {
        score[w] = NaN
        contrib.fill(NaN, c, c + T)
        continue
      }
      let total = 0
      for (let s = 0, i = w * per; s < W; s++)
        for (let j = 0; j < T; j++, i++) {
          const e = Math.abs(rec[i]! - x[i]!)
          contrib[c + j]! += e
          total += e
        }
      score[w] = total / per
      let sum = 0
      for (let j = 0; j < T; j++) {
        const e = contrib[c + j]! / W
        const v = gain[j]! * Math.min(e, base[j]!) + Math.max(0, e - base[j]!)
        contrib[c + j] = v
        sum += v
      }
      for (let j = 0; j < T; j++) contrib[c + j] = sum > 0 ? contrib[c + j]! / sum : 1 / T
    }
    return { score, contrib }
  }

  const calls = oneAtATime(run)
  return {
    card,
    id: card.id,
    version: card.version,
    tags: card.inputs.tags,
    window: W,
    threshold: card.threshold.value,
    score(windows, n) {
      return calls.run(windows, n)
    },
    async close() {
      await calls.idle()
      await session.release()
    },
  }
}
