import * as ort from 'onnxruntime-node'
import { VigilError } from '../../../shared/errors.ts'
import { openSession } from '../onnx-session.ts'
import type { Autoencoder, AutoencoderScores } from '../autoencoder.ts'
import type { LoadedModel } from '../registry.ts'
import { oneAtATime } from '../one-at-a-time.ts'

/*
 * A fitted PCA model (card kind 'pca') behind the same face as the autoencoder, so the
 * pipeline's AssetScoring and `vigil score` drive either one. Its windows are single rows;
 * its score is the graph's max(T²/T²lim, Q/Qlim), so the threshold is 1 and a score of 3
 * reads "three times the normal limit" whichever statistic raised it. The graph computes
 * the contributions itself.
 */

export interface PcaScores extends AutoencoderScores {
  t2: Float64Array
  q: Float64Array
}

export interface PcaDetector extends Autoencoder {
  score(windows: Float64Array, n: number): Promise<PcaScores>
}

export async function openPca(m: LoadedModel, opts: { intraOpThreads?: number } = {}): Promise<PcaDetector> {
  const { card, onnxPath } = m
  const pca = card.pca
  if (card.kind !== 'pca' || !pca)
    throw new VigilError('model.invalid', `${onnxPath}: card kind is not "pca"`)
  const inName = card.inputs.name
  const outs = [card.outputs.name, pca.outputs.t2, pca.outputs.q, pca.outputs.contrib]
  const session = await openSession(m, outs, opts)

  const F = card.inputs.tags.length
  // A missing value would turn the whole row's statistics into NaN inside the graph anyway;
  // feeding the training mean keeps onnxruntime on its fast path and the row is reported NaN.
  const fill = Float32Array.from(pca.mean)
  let input = new Float32Array(0)

  async function run(rows: Float64Array, n: number): Promise<PcaScores> {
    if (!Number.isInteger(n) || n < 0 || rows.length < n * F)
      throw new VigilError(
        'bad-request',
        `${card.id}: ${n} rows of ${F} tags need ${n * F} values, got ${rows.length}`,
      )
    const score = new Float64Array(n)
    const t2 = new Float64Array(n)
    const q = new Float64Array(n)
    const contrib = new Float64Array(n * F)
    if (n === 0) return { score, contrib, t2, q }
    if (input.length < n * F) input = new Float32Array(n * F)
    const bad = new Uint8Array(n)
    for (let i = 0, k = 0; i < n; i++)
      for (let j = 0; j < F; j++, k++) {
        const v = rows[k]!
        if (v - v !== 0) {
          bad[i] = 1
          input[k] = fill[j]!
        } else input[k] = v
      }
    const out = await session.run({ [inName]: new ort.Tensor('float32', input.subarray(0, n * F), [n, F]) })
    const s = out[card.outputs.name]!.data as Float32Array
    const a = out[pca!.outputs.t2]!.data as Float32Array
    const b = out[pca!.outputs.q]!.data as Float32Array
    const c = out[pca!.outputs.contrib]!.data as Float32Array
    for (let i = 0; i < n; i++) {
      if (bad[i]) {
        score[i] = t2[i] = q[i] = NaN
        contrib.fill(NaN, i * F, i * F + F)
        continue
      }
      score[i] = s[i]!
      t2[i] = a[i]!
      q[i] = b[i]!
      for (let j = i * F; j < i * F + F; j++) contrib[j] = c[j]!
    }
    return { score, contrib, t2, q }
  }

  const calls = oneAtATime(run)
  return {
    card,
    id: card.id,
    version: card.version,
    tags: card.inputs.tags,
    window: 1,
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
