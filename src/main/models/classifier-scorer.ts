import * as ort from 'onnxruntime-node'
import { VigilError } from '../../shared/errors.ts'
import type { ModelCard } from '../../shared/model-card.ts'
import type { Autoencoder, AutoencoderScores } from './autoencoder.ts'
import { column, MinMaxInput } from './minmax-input.ts'
import { openSession } from './onnx-session.ts'
import type { LoadedModel } from './registry.ts'
import { oneAtATime } from './one-at-a-time.ts'

/*
 * A classifier (card kind 'classifier': a random forest or boosted trees over features the
 * graph computes from the window) behind the detector face, so the pipeline's window path and
 * `vigil score` drive it like the autoencoder: score = P(anomaly), ANOMALY past the card's
 * threshold. A classifier has no reconstruction to split into per-sensor error, so a window's
 * contributions are each tag's share of its deviation from the middle of the training range
 * (|scaled - 0.5|, averaged over the window), weighted by the tag's importance when the card's
 * metrics give importances (see tagImportance). In a normal window every tag sits near its
 * usual level and the shares are spread; the tags that moved far dominate.
 */

/** Whether feature `k` is computed from `tag`: "Tag", "Tag_mean", "Tag:std" or "mean:Tag". */
const featureOf = (k: string, tag: string) =>
  k === tag || k.startsWith(`${tag}_`) || k.startsWith(`${tag}:`) || k.endsWith(`:${tag}`)

/**
 * Per tag, its weight from the card's metrics: tagImportance (tag -> importance) when given,
 * else featureImportance (feature -> importance) summed over the features computed from each
 * tag (featureOf); null when the card gives neither.
 */
export function tagImportance(card: ModelCard): Float64Array | null {
  const m = card.metrics
  const given = (m.tagImportance ?? m.featureImportance) as unknown
  if (!given || typeof given !== 'object' || Array.isArray(given)) return null
  const entries = Object.entries(given as Record<string, unknown>).filter(
    (e): e is [string, number] => typeof e[1] === 'number' && e[1] >= 0,
  )
  const w = Float64Array.from(card.inputs.tags, (tag) =>
    entries.reduce((s, [k, v]) => (featureOf(k, tag) ? s + v : s), 0),
  )
  return w.some((x) => x > 0) ? w : null
}

export async function openClassifier(
  m: LoadedModel,
  opts: { intraOpThreads?: number } = {},
): Promise<Autoencoder> {
  const { card } = m
  if (card.kind !== 'classifier')
    throw new VigilError('model.invalid', `${m.onnxPath}: card kind is not "classifier"`)
  const session = await openSession(m, [card.outputs.name], opts)
  const W = card.inputs.window
  const T = card.inputs.tags.length
  const per = W * T
  const input = new MinMaxInput(card)
  const weight = tagImportance(card) ?? new Float64Array(T).fill(1)

  async function run(windows: Float64Array, n: number): Promise<AutoencoderScores> {
    if (!Number.isInteger(n) || n < 0 || windows.length < n * per)
      throw new VigilError(
        'bad-request',
        `${card.id}: ${n} windows of ${W} x ${T} need ${n * per} values, got ${windows.length}`,
      )
    const contrib = new Float64Array(n * T)
    if (n === 0) return { score: new Float64Array(0), contrib }
    const { x, bad } = input.scale(windows, n, per)
    const out = await session.run({ [card.inputs.name]: new ort.Tensor('float32', x, [n, W, T]) })
    const p = out[card.outputs.name]!.data as ArrayLike<number>
    // [batch] is P(anomaly); [batch, 2] is P(normal), P(anomaly).
    const score = column(p, n, 1)
    for (let w = 0; w < n; w++) {
      const c = w * T
      if (bad[w]) {
        score[w] = NaN
        contrib.fill(NaN, c, c + T)
        continue
      }
      let sum = 0
      for (let s = 0, i = w * per; s < W; s++)
        for (let j = 0; j < T; j++, i++) contrib[c + j]! += Math.abs(x[i]! - 0.5) * weight[j]!
      for (let j = 0; j < T; j++) sum += contrib[c + j]!
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
