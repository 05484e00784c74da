import { describe, expect, it } from 'vitest'
import { symmetricEigen } from './jacobi.ts'
import { gaussian, seeded } from './synthetic.ts'

/** A random symmetric n × n matrix (BᵀB: positive semi-definite, like a correlation matrix). */
function randomSymmetric(n: number, seed: number): Float64Array {
  const g = gaussian(seeded(seed))
  const b = Array.from({ length: n * n }, g)
  const a = new Float64Array(n * n)
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) a[i * n + j]! += b[k * n + i]! * b[k * n + j]!
  return a
}

describe('symmetric Jacobi eigen-decomposition', () => {
  it('gives A v = λ v with orthonormal vectors and descending values', () => {
    for (const n of [1, 2, 7, 33, 52]) {
      const a = randomSymmetric(n, n)
      const { values, vectors } = symmetricEigen(a, n)
      const scale = Math.max(...values)
      for (let c = 0; c < n; c++) {
        if (c > 0) expect(values[c]).toBeLessThanOrEqual(values[c - 1]!)
        for (let i = 0; i < n; i++) {
          let av = 0
          for (let k = 0; k < n; k++) av += a[i * n + k]! * vectors[k * n + c]!
          expect(Math.abs(av - values[c]! * vectors[i * n + c]!)).toBeLessThan(1e-9 * scale)
        }
        for (let d = 0; d < n; d++) {
          let dot = 0
          for (let k = 0; k < n; k++) dot += vectors[k * n + c]! * vectors[k * n + d]!
          expect(Math.abs(dot - (c === d ? 1 : 0))).toBeLessThan(1e-12)
        }
      }
    }
  })

  it('solves a 2 × 2 matrix exactly and keeps orthonormal vectors for a repeated eigenvalue', () => {
    const two = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2)
    expect(Array.from(two.values)).toEqual([expect.closeTo(3, 12), expect.closeTo(1, 12)])
    expect(Math.abs(two.vectors[0]!)).toBeCloseTo(Math.SQRT1_2, 12)
    // diag(5, 5, 1) rotated: the 5-eigenspace is two-dimensional.
    const r = symmetricEigen(Float64Array.from([3, 2, 0, 2, 3, 0, 0, 0, 5]), 3)
    expect(Array.from(r.values)).toEqual([
      expect.closeTo(5, 12),
      expect.closeTo(5, 12),
      expect.closeTo(1, 12),
    ])
    let dot = 0
    for (let k = 0; k < 3; k++) dot += r.vectors[k * 3]! * r.vectors[k * 3 + 1]!
    expect(Math.abs(dot)).toBeLessThan(1e-12)
  })

  it('fixes each eigenvector sign so a refit writes the same file', () => {
    const a = randomSymmetric(9, 3)
    const { vectors } = symmetricEigen(a, 9)
    for (let c = 0; c < 9; c++) {
      let big = 0
      for (let k = 0; k < 9; k++) if (Math.abs(vectors[k * 9 + c]!) > Math.abs(big)) big = vectors[k * 9 + c]!
      expect(big).toBeGreaterThan(0)
    }
  })

  it('refuses a matrix whose size does not match', () => {
    expect(() => symmetricEigen(new Float64Array(5), 2)).toThrow(/5 values for a 2 x 2 matrix/)
  })
})
