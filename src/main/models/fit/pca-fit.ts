import { completeRows } from './complete-rows.ts'
import { VigilError } from '../../../shared/errors.ts'
import { loadingsOf, pcaBasis, usableComponents } from './pca-basis.ts'
import { FOLDS, outOfFold } from './pca-limits.ts'
import { pcaStatistics, percentile, type PcaParams } from './pca-stats.ts'

/*
 * Fits the PCA detector to a stretch of normal operation: standardise each tag, take the
 * eigenvectors of the correlation matrix, keep enough components to explain `variance` of
 * it, and set the T² and Q limits at a percentile of the training rows' statistics, each
 * row scored out of fold (pca-limits.ts).
 */

export interface PcaOptions {
  /** Share of the standardised variance the kept components explain, in (0, 1]; default 0.9. */
  variance?: number
  /** Keep exactly this many components (instead of choosing by variance). */
  components?: number
  /** Percentile of the training T² and of the training Q that sets each limit; default 99. */
  percentile?: number
}

export interface PcaModel extends PcaParams {
  tags: string[]
  /** Share of the standardised variance the kept components explain. */
  explained: number
  percentile: number
  /** How the limits were set: 'out-of-fold' (5 blocks) or 'in-sample' (too few rows for folds). */
  limitsFrom: 'out-of-fold' | 'in-sample'
  training: {
    /** Rows fitted on (complete rows only). */
    rows: number
    /** Rows left out because a tag had no value. */
    skippedRows: number
    /** Tags constant over the training rows: scaled by 1 instead of their (zero) spread. */
    flatTags: string[]
    min: Float64Array
    max: Float64Array
    /** Share of the training rows the fitted detector flags. */
    alarmRate: number
  }
}

/** Below this many complete rows a correlation matrix says more about noise than about the plant. */
export const MIN_ROWS = 20
/** Limits no smaller than float32 rounding of standardised values can reach (ONNX runs in float32). */
const LIMIT_FLOOR = 1e-6

/** cols: one column per tag, the training rows only. */
export function fitPca(cols: Float64Array[], tags: string[], opts: PcaOptions = {}): PcaModel {
  const F = cols.length
  const variance = opts.variance ?? 0.9
  const pct = opts.percentile ?? 99
  if (!(variance > 0 && variance <= 1))
    throw new VigilError('bad-request', `fit: variance ${variance} is not in (0, 1]`)
  if (!(pct > 50 && pct < 100))
    throw new VigilError('bad-request', `fit: percentile ${pct} is not in (50, 100)`)
  // Complete rows, row-major: the layout the statistics read.
  const { x, n, rows: N, min, max } = completeRows(cols, tags)
  const need = Math.max(MIN_ROWS, F + 1)
  if (n < need)
    throw new VigilError(
      'bad-request',
      `fit: ${n} complete rows of ${F} tags (${N - n} rows lack a value); a fit needs at least ${need}`,
    )

  const basis = pcaBasis(x, n, F)
  const { mean, std, values } = basis
  const total = values.reduce((s, v) => s + v, 0)
  const usable = usableComponents(values)
  let k: number
  if (opts.components !== undefined) {
    if (!Number.isInteger(opts.components) || opts.components < 1 || opts.components > F)
      throw new VigilError(
        'bad-request',
        `fit: components ${opts.components} is not a whole number in 1..${F}`,
      )
    k = opts.components
    if (k > usable)
      throw new VigilError(
        'bad-request',
        `fit: components ${k} asked, but the training data span only ${usable} independent directions`,
      )
  } else {
    k = 1
    let cum = values[0]!
    while (k < usable && cum < variance * total - 1e-12) cum += values[k++]!
    // Keep a residual space when there is one, or Q would be zero by construction.
    if (k === F && F > 1) k = F - 1
  }
  let explained = 0
  for (let a = 0; a < k; a++) explained += values[a]!

  const params: PcaParams = {
    mean,
    std,
    eigenvalues: values,
    components: k,
    loadings: loadingsOf(basis, k),
    t2Limit: 1,
    qLimit: 1,
  }
  const t2 = new Float64Array(n)
  const q = new Float64Array(n)
  pcaStatistics(params, x, n, { t2, q })
  const held = outOfFold(x, n, F, k)
  params.t2Limit = Math.max(percentile(held?.t2 ?? t2, pct), LIMIT_FLOOR)
  params.qLimit = Math.max(percentile(held?.q ?? q, pct), LIMIT_FLOOR * F)
  let alarms = 0
  for (let i = 0; i < n; i++) if (t2[i]! > params.t2Limit || q[i]! > params.qLimit) alarms++

  return {
    ...params,
    tags: [...tags],
    explained: total > 0 ? explained / total : 1,
    percentile: pct,
    limitsFrom: held ? 'out-of-fold' : 'in-sample',
    training: {
      rows: n,
      skippedRows: N - n,
      flatTags: tags.filter((_, j) => basis.flat[j]),
      min,
      max,
      alarmRate: alarms / n,
    },
  }
}

/** How the card and README describe the limits. */
export function limitsMethod(m: PcaModel): string {
  return m.limitsFrom === 'out-of-fold'
    ? `the ${m.percentile}th percentile of each statistic over the ${m.training.rows} training rows, each row ` +
        `scored by a model fitted on the other ${FOLDS - 1} of ${FOLDS} contiguous blocks`
    : `the ${m.percentile}th percentile of each statistic over the ${m.training.rows} training rows (too few for out-of-fold scoring)`
}
