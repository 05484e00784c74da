import { loadingsOf, pcaBasis, usableComponents } from './pca-basis.ts'
import { pcaStatistics } from './pca-stats.ts'

/*
 * The training rows' T² and Q as a new row would see them. Scored by the model fitted on
 * them, training rows sit closer to the model than any later row will: on the Tennessee
 * Eastman normal test run, limits at the 99th percentile of in-sample statistics flag
 * 9.5 % of normal rows instead of about 1 %. So each of FOLDS contiguous blocks of the
 * training rows is scored by a model fitted on the other blocks (same number of
 * components), and the limits are percentiles of those out-of-fold values. Contiguous
 * blocks rather than shuffled rows, because consecutive plant samples are correlated and a
 * block held out also carries the slow drift a later hour will show; the limits then reach
 * what the published F-distribution and Jackson–Mudholkar limits reach on that benchmark.
 */

export const FOLDS = 5

/** Out-of-fold T² and Q of the n complete rows of x ([n][F]), with k components; null when too few rows. */
export function outOfFold(
  x: Float64Array,
  n: number,
  F: number,
  k: number,
): { t2: Float64Array; q: Float64Array } | null {
  // Each fold's model must still see more rows than tags, or its correlation matrix is singular.
  if (n - Math.ceil(n / FOLDS) <= F + 1 || n < 10 * FOLDS) return null
  const t2 = new Float64Array(n)
  const q = new Float64Array(n)
  for (let f = 0; f < FOLDS; f++) {
    const from = Math.floor((f * n) / FOLDS)
    const to = Math.floor(((f + 1) * n) / FOLDS)
    const b = pcaBasis(x, n, F, (i) => i < from || i >= to)
    const kf = Math.min(k, usableComponents(b.values))
    if (kf < 1) return null
    const params = {
      mean: b.mean,
      std: b.std,
      eigenvalues: b.values,
      components: kf,
      loadings: loadingsOf(b, kf),
      t2Limit: 1,
      qLimit: 1,
    }
    pcaStatistics(params, x.subarray(from * F, to * F), to - from, {
      t2: t2.subarray(from, to),
      q: q.subarray(from, to),
    })
  }
  return { t2, q }
}
