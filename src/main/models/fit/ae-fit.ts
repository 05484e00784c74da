import { VigilError } from '../../../shared/errors.ts'
import { completeRows } from './complete-rows.ts'
import { outOfFoldErrors } from './ae-limits.ts'
import { rowErrors, trainAutoencoder } from './ae-train.ts'
import type { DenseNet } from './dense-net.ts'
import { pcaBasis, usableComponents } from './pca-basis.ts'
import { MIN_ROWS } from './pca-fit.ts'
import { percentile } from './pca-stats.ts'

/*
 * Fits the small autoencoder of the in-app fit to a stretch of normal operation: each row
 * standardised, a dense tanh network F → hidden → bottleneck → hidden → F trained to give
 * its input back (squared error, Adam, mini-batches, a fixed seed), stopped early on a
 * held-out tail of the training stretch. A row's error is the mean over tags of its absolute
 * error, each tag's counted in units of its own normal error (a noisy tag would otherwise
 * drown the faults, which show in the quiet ones: models/skab-ae README). The score is the
 * mean row error over the last `window` rows, and the threshold a percentile of the training
 * windows' scores. The graph (onnx-writer/ae-graph.ts) computes exactly this under the
 * autoencoder kind's scorer, so the fitted model is served like the shipped ones.
 */

export interface AeOptions {
  /** Rows whose mean error is one score (the card's window); default 5. */
  window?: number
  /** Width of the two hidden layers; default 2 × tags, 8 to 32 (wider costs fit time, not detection: TEP). */
  hidden?: number
  /** Width of the code; default the principal components for 90 % of the variance, at least 2. */
  bottleneck?: number
  /** Percentile of the training windows' scores that sets the threshold; default 99. */
  percentile?: number
  /** Most passes over the training rows; default 400. */
  epochs?: number
  /** Seeds the weights and the batch order: the same rows and seed give the same model. */
  seed?: number
  /**
   * Which errors set the threshold and each tag's normal error: 'out-of-fold' (default; each
   * row scored by a network trained without its fifth of the rows, ae-limits.ts) or 'in-sample'.
   */
  limits?: 'out-of-fold' | 'in-sample'
  /**
   * The unit each tag's error counts in: 'normal-error' (default: its own error on normal
   * rows, so a tag the network cannot predict does not drown the others) or 'spread' (its
   * standard deviation over the training rows, the plain standardised error).
   */
  weighting?: 'normal-error' | 'spread'
}

export interface AeModel {
  tags: string[]
  window: number
  net: DenseNet
  /** Min-max range of the training rows: the card's scaler (the scorer applies it). */
  min: Float64Array
  max: Float64Array
  /** Raw mean and spread of each tag: the graph standardises with them. */
  mean: Float64Array
  std: Float64Array
  /** Per tag: multiplies (reconstruction − input), in standardised units, into the scored error. */
  weight: Float64Array
  /** Per tag: its mean weighted error over the training rows (the card's errorBaseline). */
  errorBaseline: Float64Array
  threshold: number
  percentile: number
  limitsFrom: 'out-of-fold' | 'in-sample'
  weighting: 'normal-error' | 'spread'
  training: {
    rows: number
    skippedRows: number
    flatTags: string[]
    windows: number
    /** Rows trained on, and the held-out tail that chose when to stop. */
    fitRows: number
    holdoutRows: number
    epochs: number
    bestEpoch: number
    /** Mean squared error per value (standardised units) on each part at the best epoch. */
    fitLoss: number
    holdoutLoss: number
    /** Share of the training windows the fitted detector flags. */
    alarmRate: number
  }
}

const HOLDOUT = 0.2
/** A tag reconstructed almost perfectly would get an unbounded weight and alarm on rounding. */
const ERROR_FLOOR = 1e-3

const intIn = (v: number, lo: number, hi: number) => Number.isInteger(v) && v >= lo && v <= hi

export function fitAutoencoder(cols: Float64Array[], tags: string[], opts: AeOptions = {}): AeModel {
  const F = cols.length
  const W = opts.window ?? 5
  const pct = opts.percentile ?? 99
  const maxEpochs = opts.epochs ?? 400
  if (!intIn(W, 1, 1000))
    throw new VigilError('bad-request', `fit: window ${W} is not a whole number in 1..1000`)
  if (!(pct > 50 && pct < 100))
    throw new VigilError('bad-request', `fit: percentile ${pct} is not in (50, 100)`)
  if (!intIn(maxEpochs, 1, 100_000))
    throw new VigilError('bad-request', `fit: epochs ${maxEpochs} is not a whole number in 1..100000`)
  const rows = completeRows(cols, tags)
  const { n } = rows
  const need = Math.max(MIN_ROWS, F + 1, 5 * W)
  if (n < need)
    throw new VigilError(
      'bad-request',
      `fit: ${n} complete rows of ${F} tags (${rows.rows - n} rows lack a value); an autoencoder with window ${W} needs at least ${need}`,
    )

  const basis = pcaBasis(rows.x, n, F)
  const hidden = opts.hidden ?? Math.min(32, Math.max(8, 2 * F))
  const bottleneck = opts.bottleneck ?? defaultCode(basis.values, hidden)
  if (!intIn(hidden, 1, 4096))
    throw new VigilError('bad-request', `fit: hidden ${hidden} is not a whole number in 1..4096`)
  if (!intIn(bottleneck, 1, hidden))
    throw new VigilError(
      'bad-request',
      `fit: bottleneck ${bottleneck} is not a whole number in 1..${hidden} (hidden)`,
    )

  const z = new Float64Array(n * F)
  for (let i = 0; i < n; i++)
    for (let j = 0; j < F; j++) z[i * F + j] = (rows.x[i * F + j]! - basis.mean[j]!) / basis.std[j]!

  // The held-out tail is the latest stretch: stopping on it asks the network to carry over
  // time, which is what scoring later rows needs, rather than to fill gaps between seen rows.
  const fitRows = n - Math.max(1, Math.round(n * HOLDOUT))
  const trained = trainAutoencoder(
    z,
    F,
    Int32Array.from({ length: fitRows }, (_, i) => i),
    Int32Array.from({ length: n - fitRows }, (_, i) => fitRows + i),
    [F, hidden, bottleneck, hidden, F],
    maxEpochs,
    opts.seed ?? 1,
  )
  const net = trained.net
  const limitsFrom = opts.limits ?? 'out-of-fold'
  const own = rowErrors(net, z, n, F)
  const sizes = net.sizes
  const abs =
    limitsFrom === 'out-of-fold' ? outOfFoldErrors(z, n, F, sizes, trained.bestEpoch, opts.seed ?? 1) : own

  // Each tag's normal error (standardised units), then the weights that count every tag in
  // units of it, scaled so the score stays in the min-max units the card's scaler gives.
  const b = new Float64Array(F)
  for (let i = 0; i < n; i++) for (let j = 0; j < F; j++) b[j]! += abs[i * F + j]! / n
  const range = Float64Array.from(rows.max, (hi, j) => (hi > rows.min[j]! ? hi - rows.min[j]! : 1))
  const weighting = opts.weighting ?? 'normal-error'
  let unit = 0
  for (let j = 0; j < F; j++)
    unit += ((weighting === 'spread' ? 1 : Math.max(b[j]!, ERROR_FLOOR)) * basis.std[j]!) / range[j]! / F
  const weight = Float64Array.from(b, (v) =>
    weighting === 'spread' ? unit : unit / Math.max(v, ERROR_FLOOR),
  )
  const errorBaseline = Float64Array.from(b, (v, j) => Math.max(v * weight[j]!, 1e-12))

  const scoresOf = (e: Float64Array) => windowScores(weightedRows(e, weight, n, F), rows.at, W)
  const scores = scoresOf(abs)
  if (scores.length === 0)
    throw new VigilError('bad-request', `fit: no ${W} consecutive complete rows to set a threshold on`)
  const threshold = Math.max(percentile(scores, pct), 1e-9)
  let alarms = 0
  for (const s of scoresOf(own)) if (s > threshold) alarms++

  return {
    tags: [...tags],
    window: W,
    net,
    min: rows.min,
    max: rows.max,
    mean: basis.mean,
    std: basis.std,
    weight,
    errorBaseline,
    threshold,
    percentile: pct,
    limitsFrom,
    weighting,
    training: {
      rows: n,
      skippedRows: rows.rows - n,
      flatTags: tags.filter((_, j) => basis.flat[j]),
      windows: scores.length,
      fitRows,
      holdoutRows: n - fitRows,
      epochs: trained.epochs,
      bestEpoch: trained.bestEpoch,
      fitLoss: trained.fitLoss,
      holdoutLoss: trained.holdoutLoss,
      alarmRate: alarms / scores.length,
    },
  }
}

/** Each row's mean over tags of its absolute errors times the tags' weights. */
function weightedRows(abs: Float64Array, weight: Float64Array, n: number, F: number): Float64Array {
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    let s = 0
    for (let j = 0; j < F; j++) s += abs[i * F + j]! * weight[j]!
    out[i] = s / F
  }
  return out
}

/** As many code units as principal components explain 90 % of the variance: PCA's own default. */
function defaultCode(values: Float64Array, hidden: number): number {
  const total = values.reduce((s, v) => s + v, 0)
  const usable = usableComponents(values)
  let k = 1
  let cum = values[0]!
  while (k < usable && cum < 0.9 * total) cum += values[k++]!
  return Math.min(hidden, Math.max(2, k))
}

/**
 * Each raw row's score (row-major [n][tags] in; its mean weighted absolute error out): the
 * TypeScript reference the ONNX graph is checked against. A window's score is the mean of its rows'.
 */
export function rowScores(m: AeModel, x: Float64Array, n: number): Float64Array {
  const F = m.tags.length
  const z = Float64Array.from(x.subarray(0, n * F), (v, k) => (v - m.mean[k % F]!) / m.std[k % F]!)
  const abs = rowErrors(m.net, z, n, F)
  return weightedRows(abs, m.weight, n, F)
}

/** Mean row score over every run of `W` consecutive rows (at: each row's place in the data). */
export function windowScores(rowScore: Float64Array, at: Int32Array, W: number): Float64Array {
  const out: number[] = []
  let sum = 0
  for (let i = 0; i < rowScore.length; i++) {
    sum += rowScore[i]!
    if (i >= W) sum -= rowScore[i - W]!
    if (i >= W - 1 && at[i]! - at[i - W + 1]! === W - 1) out.push(sum / W)
  }
  return Float64Array.from(out)
}
