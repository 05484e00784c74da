/*
 * Seeded correlated data for the fit's tests: a few latent drivers mixed into many tags plus
 * independent noise, which is the structure PCA assumes and real plant tags show (a flow,
 * the pressures and the motor current all follow the pump's duty).
 */

/** mulberry32: small, fast, and the same sequence on every machine. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function gaussian(rand: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand())
}

/** rows × tags columns: tag j = offset_j + scale_j · (Σ latent mixing + noise). */
export function correlatedColumns(rows: number, tags: number, latent: number, seed: number): Float64Array[] {
  const g = gaussian(seeded(seed))
  const mix = Array.from({ length: tags * latent }, g)
  const offset = Array.from({ length: tags }, (_, j) => 10 ** (j % 4) * (1 + j))
  const scale = Array.from({ length: tags }, (_, j) => 0.1 * (1 + (j % 3)))
  const cols = Array.from({ length: tags }, () => new Float64Array(rows))
  const l = new Float64Array(latent)
  for (let i = 0; i < rows; i++) {
    for (let a = 0; a < latent; a++) l[a] = g() * (latent - a)
    for (let j = 0; j < tags; j++) {
      let v = 0.2 * g()
      for (let a = 0; a < latent; a++) v += mix[j * latent + a]! * l[a]!
      cols[j]![i] = offset[j]! + scale[j]! * v
    }
  }
  return cols
}

/** Row-major [rows][tags] from columns. */
export function rowMajor(cols: Float64Array[]): Float64Array {
  const F = cols.length
  const n = cols[0]?.length ?? 0
  const x = new Float64Array(n * F)
  for (let i = 0; i < n; i++) for (let j = 0; j < F; j++) x[i * F + j] = cols[j]![i]!
  return x
}
