/*
 * The PCA detector's statistics in plain TypeScript, in float64: the reference the ONNX graph
 * is checked against, and how the fit finds its limits on the training rows. For a row x:
 *   z  = (x − mean) / std                        standardised
 *   u  = z P Λ^-½                                scaled scores, k values
 *   T² = |u|²                                    Hotelling, inside the model plane
 *   r  = z (I − P Pᵀ)                            residual, off the plane
 *   Q  = |r|²                                    SPE
 *   score = max(T² / T²lim, Q / Qlim)            > 1 when either statistic passes its limit
 * Contributions are complete decompositions (Alcalá & Qin 2009): v = u Pᵀ gives vⱼ² summing
 * to T², rⱼ² sums to Q, so sensor j's share of the combined index is
 *   (vⱼ² / T²lim + rⱼ² / Qlim) / Σ over sensors, non-negative and summing to 1 per row.
 */

export interface PcaParams {
  mean: Float64Array
  std: Float64Array
  /** Eigenvalues of the training correlation matrix, descending; the first `components` are used. */
  eigenvalues: Float64Array
  components: number
  /** Row-major [tags][components]: the kept eigenvectors. */
  loadings: Float64Array
  t2Limit: number
  qLimit: number
}

export interface PcaOut {
  t2: Float64Array
  q: Float64Array
  /** Written when given (they need the limits). */
  score?: Float64Array
  /** Row-major [n][tags]. */
  contrib?: Float64Array
}

/** Keeps a zero row (x = mean exactly) from dividing 0 by 0: its shares come out equal. */
export const CONTRIB_EPSILON = 1e-12

/** x: raw values row-major [n][tags]. A row holding a NaN gets NaN everywhere. */
export function pcaStatistics(p: PcaParams, x: Float64Array, n: number, out: PcaOut): void {
  const F = p.mean.length
  const k = p.components
  const z = new Float64Array(F)
  const u = new Float64Array(k)
  const s = new Float64Array(k)
  const invSqrt = Float64Array.from(p.eigenvalues.subarray(0, k), (l) => 1 / Math.sqrt(l))
  const invT2 = 1 / p.t2Limit
  const invQ = 1 / p.qLimit
  const { t2, q, score, contrib } = out
  for (let i = 0; i < n; i++) {
    const row = i * F
    let bad = false
    for (let j = 0; j < F; j++) {
      const v = (x[row + j]! - p.mean[j]!) / p.std[j]!
      if (v !== v) bad = true
      z[j] = v
    }
    if (bad) {
      t2[i] = q[i] = NaN
      if (score) score[i] = NaN
      if (contrib) contrib.fill(NaN, row, row + F)
      continue
    }
    s.fill(0)
    for (let j = 0; j < F; j++) for (let a = 0; a < k; a++) s[a]! += z[j]! * p.loadings[j * k + a]!
    let tt = 0
    for (let a = 0; a < k; a++) {
      u[a] = s[a]! * invSqrt[a]!
      tt += u[a]! * u[a]!
    }
    let qq = 0
    let sum = 0
    for (let j = 0; j < F; j++) {
      let back = 0
      let vj = 0
      for (let a = 0; a < k; a++) {
        back += s[a]! * p.loadings[j * k + a]!
        vj += u[a]! * p.loadings[j * k + a]!
      }
      const r = z[j]! - back
      qq += r * r
      if (contrib) {
        const c = vj * vj * invT2 + r * r * invQ + CONTRIB_EPSILON / F
        contrib[row + j] = c
        sum += c
      }
    }
    t2[i] = tt
    q[i] = qq
    if (score) score[i] = Math.max(tt * invT2, qq * invQ)
    if (contrib) for (let j = 0; j < F; j++) contrib[row + j]! /= sum
  }
}

/** The p-th percentile (0..100) with linear interpolation between order statistics, as numpy's default. */
export function percentile(values: Float64Array, p: number): number {
  const sorted = Float64Array.from(values).sort()
  if (sorted.length === 0) return NaN
  const at = (p / 100) * (sorted.length - 1)
  const lo = Math.floor(at)
  const hi = Math.min(sorted.length - 1, lo + 1)
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo)
}
