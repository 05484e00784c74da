/*
 * Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations. A correlation matrix
 * of a plant's tags is small (tens, at most a few hundred tags) and symmetric positive
 * semi-definite; Jacobi is exact to rounding there, needs no dependency and gives orthonormal
 * eigenvectors even for repeated eigenvalues, which QR-based general solvers only approach.
 * Cost is O(n^3) per sweep and it converges quadratically in a handful of sweeps: for 52 tags
 * it takes about a millisecond.
 */

export interface SymmetricEigen {
  /** Descending. */
  values: Float64Array
  /** Row-major [n][n]: column j is the unit eigenvector of values[j]. */
  vectors: Float64Array
}

const MAX_SWEEPS = 100

/** a: row-major [n][n], symmetric (only read, not changed). */
export function symmetricEigen(a: Float64Array, n: number): SymmetricEigen {
  if (a.length !== n * n) throw new Error(`symmetricEigen: ${a.length} values for a ${n} x ${n} matrix`)
  const m = Float64Array.from(a)
  const v = new Float64Array(n * n)
  for (let i = 0; i < n; i++) v[i * n + i] = 1
  let scale = 0
  for (let i = 0; i < n * n; i++) scale += m[i]! * m[i]!
  const tol = scale * 1e-30

  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let off = 0
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p * n + q]! * m[p * n + q]!
    if (off <= tol) break
    for (let p = 0; p < n - 1; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q]!
        if (apq === 0) continue
        // The rotation J (c at pp and qq, s at pq, -s at qp) that zeroes m[p][q] in JᵀMJ;
        // the smaller root of t² + 2θt − 1 = 0 keeps the rotation angle under 45°.
        const theta = (m[q * n + q]! - m[p * n + p]!) / (2 * apq)
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1))
        const c = 1 / Math.sqrt(t * t + 1)
        const s = t * c
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p]!
          const mkq = m[k * n + q]!
          m[k * n + p] = c * mkp - s * mkq
          m[k * n + q] = s * mkp + c * mkq
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k]!
          const mqk = m[q * n + k]!
          m[p * n + k] = c * mpk - s * mqk
          m[q * n + k] = s * mpk + c * mqk
        }
        m[p * n + q] = 0
        m[q * n + p] = 0
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!
          const vkq = v[k * n + q]!
          v[k * n + p] = c * vkp - s * vkq
          v[k * n + q] = s * vkp + c * vkq
        }
      }
  }

  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => m[j * n + j]! - m[i * n + i]!)
  const values = new Float64Array(n)
  const vectors = new Float64Array(n * n)
  order.forEach((src, dst) => {
    values[dst] = m[src * n + src]!
    // An eigenvector's sign is arbitrary; fixing it (largest component positive) makes a
    // refit of the same data give the same file.
    let big = 0
    for (let k = 0; k < n; k++) if (Math.abs(v[k * n + src]!) > Math.abs(big)) big = v[k * n + src]!
    const sign = big < 0 ? -1 : 1
    for (let k = 0; k < n; k++) vectors[k * n + dst] = sign * v[k * n + src]!
  })
  return { values, vectors }
}
