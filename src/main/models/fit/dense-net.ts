import { gaussian, seeded } from './synthetic.ts'

/*
 * A small fully connected network in plain typed-array math, enough to fit an autoencoder to
 * a few thousand rows in a worker in seconds without a tensor library: tanh on every layer
 * but the last (linear), squared-error gradients, Adam. Weights are stored [in][out]
 * row-major, the layout ONNX MatMul takes (x[batch, in] · W[in, out]), so the writer copies
 * them as they are.
 */

export interface DenseNet {
  /** Layer widths, input first: [F, hidden, bottleneck, hidden, F]. */
  sizes: number[]
  /** w[l]: sizes[l] x sizes[l+1], row-major. */
  w: Float64Array[]
  b: Float64Array[]
}

/** Glorot-normal weights from a seed, zero biases: the same network for the same seed. */
export function initNet(sizes: number[], seed: number): DenseNet {
  const g = gaussian(seeded(seed))
  const w: Float64Array[] = []
  const b: Float64Array[] = []
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l]!
    const fanOut = sizes[l + 1]!
    const sd = Math.sqrt(2 / (fanIn + fanOut))
    w.push(Float64Array.from({ length: fanIn * fanOut }, () => sd * g()))
    b.push(new Float64Array(fanOut))
  }
  return { sizes: [...sizes], w, b }
}

export const cloneNet = (n: DenseNet): DenseNet => ({
  sizes: [...n.sizes],
  w: n.w.map((a) => a.slice()),
  b: n.b.map((a) => a.slice()),
})

/** Buffers one sample's pass needs: activations and deltas per layer, allocated once per fit. */
export interface Scratch {
  act: Float64Array[]
  delta: Float64Array[]
}

export const scratchFor = (n: DenseNet): Scratch => ({
  act: n.sizes.map((s) => new Float64Array(s)),
  delta: n.sizes.map((s) => new Float64Array(s)),
})

/** Forward pass of x[off .. off+F); the output is left in s.act[last]. */
export function forward(n: DenseNet, x: Float64Array, off: number, s: Scratch): Float64Array {
  const L = n.sizes.length - 1
  s.act[0]!.set(x.subarray(off, off + n.sizes[0]!))
  for (let l = 0; l < L; l++) {
    const a = s.act[l]!
    const out = s.act[l + 1]!
    const w = n.w[l]!
    const nIn = n.sizes[l]!
    const nOut = n.sizes[l + 1]!
    out.set(n.b[l]!)
    for (let i = 0; i < nIn; i++) {
      const ai = a[i]!
      if (ai === 0) continue
      for (let o = 0, k = i * nOut; o < nOut; o++, k++) out[o]! += ai * w[k]!
    }
    if (l + 1 < L) for (let o = 0; o < nOut; o++) out[o] = Math.tanh(out[o]!)
  }
  return s.act[L]!
}

/**
 * Adds the gradient of ½‖f(x) − x‖² for one sample (after forward on it) to gw/gb, and
 * returns that loss. Target = input: this is an autoencoder's step.
 */
export function backward(n: DenseNet, s: Scratch, gw: Float64Array[], gb: Float64Array[]): number {
  const L = n.sizes.length - 1
  const out = s.act[L]!
  const x = s.act[0]!
  const d = s.delta[L]!
  let loss = 0
  for (let j = 0; j < out.length; j++) {
    const e = out[j]! - x[j]!
    d[j] = e
    loss += 0.5 * e * e
  }
  for (let l = L - 1; l >= 0; l--) {
    const a = s.act[l]!
    const dOut = s.delta[l + 1]!
    const dIn = s.delta[l]!
    const w = n.w[l]!
    const g = gw[l]!
    const nIn = n.sizes[l]!
    const nOut = n.sizes[l + 1]!
    const bg = gb[l]!
    for (let o = 0; o < nOut; o++) bg[o]! += dOut[o]!
    for (let i = 0; i < nIn; i++) {
      const ai = a[i]!
      let back = 0
      for (let o = 0, k = i * nOut; o < nOut; o++, k++) {
        g[k]! += ai * dOut[o]!
        back += w[k]! * dOut[o]!
      }
      // tanh'(u) = 1 − tanh(u)²; layer 0 is the input, whose delta nobody reads.
      dIn[i] = l > 0 ? back * (1 - ai * ai) : 0
    }
  }
  return loss
}

/** Adam (Kingma & Ba 2015) over every weight and bias of one network. */
export class Adam {
  private readonly m: Float64Array[]
  private readonly v: Float64Array[]
  private t = 0
  private readonly rate: number

  constructor(n: DenseNet, rate: number) {
    const params = [...n.w, ...n.b]
    this.m = params.map((p) => new Float64Array(p.length))
    this.v = params.map((p) => new Float64Array(p.length))
    this.rate = rate
  }

  /** One step with gradients summed over `batch` samples; the gradients are zeroed for the next. */
  step(n: DenseNet, gw: Float64Array[], gb: Float64Array[], batch: number): void {
    const b1 = 0.9
    const b2 = 0.999
    this.t++
    const c1 = 1 / (1 - b1 ** this.t)
    const c2 = 1 / (1 - b2 ** this.t)
    const params = [...n.w, ...n.b]
    const grads = [...gw, ...gb]
    for (let p = 0; p < params.length; p++) {
      const x = params[p]!
      const g = grads[p]!
      const m = this.m[p]!
      const v = this.v[p]!
      for (let k = 0; k < x.length; k++) {
        const gk = g[k]! / batch
        m[k] = b1 * m[k]! + (1 - b1) * gk
        v[k] = b2 * v[k]! + (1 - b2) * gk * gk
        x[k]! -= (this.rate * m[k]! * c1) / (Math.sqrt(v[k]! * c2) + 1e-8)
      }
      g.fill(0)
    }
  }
}

export const zeroGrads = (n: DenseNet) => ({
  gw: n.w.map((a) => new Float64Array(a.length)),
  gb: n.b.map((a) => new Float64Array(a.length)),
})
