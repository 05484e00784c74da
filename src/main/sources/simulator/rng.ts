/**
 * A small seeded generator of its own, so a simulator run is reproducible from its seed on
 * every platform and Node version (Math.random cannot be seeded). mulberry32 is plenty for
 * measurement noise; Box-Muller turns two uniforms into two normals and keeps the spare.
 */
export class Rng {
  private s: number
  private spare = NaN

  constructor(seed: number) {
    // Mix the seed so neighbouring seeds (1, 2, 3) start far apart in the sequence.
    let h = Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b)
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
    this.s = (h ^ (h >>> 16)) >>> 0
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) | 0)
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** Standard normal. */
  gauss(): number {
    const spare = this.spare
    if (spare === spare) {
      this.spare = NaN
      return spare
    }
    const u = 1 - this.next()
    const r = Math.sqrt(-2 * Math.log(u))
    const a = 2 * Math.PI * this.next()
    this.spare = r * Math.sin(a)
    return r * Math.cos(a)
  }
}
