import { rowErrors, trainAutoencoder } from './ae-train.ts'

/*
 * Out-of-fold errors for the autoencoder's threshold, as pca-limits.ts does for PCA: a row's
 * error under the network that was trained on it is smaller than any new row's, so a
 * percentile of in-sample errors sets the threshold too low and the detector false-alarms on
 * normal running it has not seen. Each of five contiguous blocks is scored by a network
 * trained on the other four, for as many epochs as early stopping chose for the full fit.
 */

export const AE_FOLDS = 5

/** |f(z) − z| per row and tag, row-major, each row from the network that did not see its block. */
export function outOfFoldErrors(
  z: Float64Array,
  n: number,
  F: number,
  sizes: number[],
  epochs: number,
  seed: number,
): Float64Array {
  const out = new Float64Array(n * F)
  for (let f = 0; f < AE_FOLDS; f++) {
    const from = Math.floor((f * n) / AE_FOLDS)
    const to = Math.floor(((f + 1) * n) / AE_FOLDS)
    const rest = Int32Array.from({ length: n - (to - from) }, (_, i) => (i < from ? i : i + to - from))
    const { net } = trainAutoencoder(z, F, rest, null, sizes, Math.max(1, epochs), seed + 1 + f)
    out.set(rowErrors(net, z.subarray(from * F, to * F), to - from, F), from * F)
  }
  return out
}
