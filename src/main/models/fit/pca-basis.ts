import { symmetricEigen } from './jacobi.ts'

/*
 * The part of a PCA fit that depends only on the rows it sees: each tag's mean and spread,
 * and the eigen-decomposition of the standardised rows' correlation matrix. The fit runs it
 * once on all training rows and once per fold for out-of-fold limits (pca-limits.ts).
 */

export interface PcaBasis {
  mean: Float64Array
  std: Float64Array
  /** Tags that did not move over these rows (scaled by 1 instead of a zero spread). */
  flat: boolean[]
  /** Descending, clamped at 0. */
  values: Float64Array
  /** Row-major [F][F]: column a is the eigenvector of values[a]. */
  vectors: Float64Array
}

/** x: complete rows, row-major [n][F]; uses the rows whose index passes `use` (all when absent). */
export function pcaBasis(x: Float64Array, n: number, F: number, use?: (i: number) => boolean): PcaBasis {
  const mean = new Float64Array(F)
  const std = new Float64Array(F)
  let m = 0
  for (let i = 0; i < n; i++) {
    if (use && !use(i)) continue
    m++
    for (let j = 0; j < F; j++) mean[j]! += x[i * F + j]!
  }
  for (let j = 0; j < F; j++) mean[j]! /= m
  for (let i = 0; i < n; i++) {
    if (use && !use(i)) continue
    for (let j = 0; j < F; j++) std[j]! += (x[i * F + j]! - mean[j]!) ** 2
  }
  const flat: boolean[] = []
  for (let j = 0; j < F; j++) {
    std[j] = Math.sqrt(std[j]! / (m - 1))
    // A tag that never moved has no spread to scale by; 1 keeps its later movement visible
    // (in its own units) in Q instead of dividing by zero.
    flat[j] = !(std[j]! > 1e-12 * Math.max(1, Math.abs(mean[j]!)))
    if (flat[j]) std[j] = 1
  }

  const corr = new Float64Array(F * F)
  const z = new Float64Array(F)
  for (let i = 0; i < n; i++) {
    if (use && !use(i)) continue
    for (let j = 0; j < F; j++) z[j] = (x[i * F + j]! - mean[j]!) / std[j]!
    for (let a = 0; a < F; a++) for (let b = a; b < F; b++) corr[a * F + b]! += z[a]! * z[b]!
  }
  for (let a = 0; a < F; a++)
    for (let b = a; b < F; b++) {
      corr[a * F + b]! /= m - 1
      corr[b * F + a] = corr[a * F + b]!
    }
  const { values, vectors } = symmetricEigen(corr, F)
  for (let j = 0; j < F; j++) if (values[j]! < 0) values[j] = 0
  return { mean, std, flat, values, vectors }
}

/** The first k eigenvectors, row-major [F][k]. */
export function loadingsOf(b: PcaBasis, k: number): Float64Array {
  const F = b.mean.length
  const P = new Float64Array(F * k)
  for (let j = 0; j < F; j++) for (let a = 0; a < k; a++) P[j * k + a] = b.vectors[j * F + a]!
  return P
}

/** How many leading eigenvalues are not numerically zero (T² divides by them). */
export function usableComponents(values: Float64Array): number {
  let usable = 0
  while (usable < values.length && values[usable]! > 1e-9 * values[0]!) usable++
  return usable
}
