import {
  Adam,
  backward,
  cloneNet,
  forward,
  initNet,
  scratchFor,
  zeroGrads,
  type DenseNet,
} from './dense-net.ts'
import { seeded } from './synthetic.ts'

/*
 * Trains an autoencoder on chosen rows of standardised data: mini-batches in a seeded order,
 * Adam, and (given held-out rows) early stopping that keeps the best epoch's weights.
 */

const BATCH = 16
export const RATE = 3e-3
/** Epochs without a better held-out loss before stopping. */
const PATIENCE = 30

export interface Trained {
  net: DenseNet
  epochs: number
  bestEpoch: number
  /** Mean squared error per value on the fitted rows, and on the held-out rows (NaN without). */
  fitLoss: number
  holdoutLoss: number
}

/**
 * z: row-major [rows][F]; fit: the rows trained on; holdout: the rows that choose the epoch
 * (null: train exactly `maxEpochs`).
 */
export function trainAutoencoder(
  z: Float64Array,
  F: number,
  fit: Int32Array,
  holdout: Int32Array | null,
  sizes: number[],
  maxEpochs: number,
  seed: number,
): Trained {
  const rand = seeded(seed)
  const net = initNet(sizes, seed)
  const opt = new Adam(net, RATE)
  const { gw, gb } = zeroGrads(net)
  const s = scratchFor(net)
  const order = fit.slice()
  let best = net
  let bestLoss = Infinity
  let bestEpoch = 0
  let epoch = 0
  while (epoch < maxEpochs && (!holdout || epoch - bestEpoch < PATIENCE)) {
    epoch++
    for (let i = order.length - 1; i > 0; i--) {
      const k = Math.floor(rand() * (i + 1))
      const t = order[i]!
      order[i] = order[k]!
      order[k] = t
    }
    for (let from = 0; from < order.length; from += BATCH) {
      const to = Math.min(order.length, from + BATCH)
      for (let k = from; k < to; k++) {
        forward(net, z, order[k]! * F, s)
        backward(net, s, gw, gb)
      }
      opt.step(net, gw, gb, to - from)
    }
    if (!holdout) continue
    const held = meanSquaredError(net, z, F, holdout)
    // A better held-out loss by a hair is noise; ask for a real gain before resetting patience.
    if (held < bestLoss * (1 - 1e-4)) {
      bestLoss = held
      bestEpoch = epoch
      best = cloneNet(net)
    }
  }
  if (!holdout)
    return {
      net,
      epochs: epoch,
      bestEpoch: epoch,
      fitLoss: meanSquaredError(net, z, F, fit),
      holdoutLoss: NaN,
    }
  return {
    net: best,
    epochs: epoch,
    bestEpoch,
    fitLoss: meanSquaredError(best, z, F, fit),
    holdoutLoss: bestLoss,
  }
}

function meanSquaredError(net: DenseNet, z: Float64Array, F: number, rows: Int32Array): number {
  const s = scratchFor(net)
  let l = 0
  for (const i of rows) {
    const r = forward(net, z, i * F, s)
    for (let j = 0; j < F; j++) l += (r[j]! - z[i * F + j]!) ** 2
  }
  return l / Math.max(1, rows.length * F)
}

/** |f(z) − z| per row and tag, row-major, for n standardised rows. */
export function rowErrors(net: DenseNet, z: Float64Array, n: number, F: number): Float64Array {
  const s = scratchFor(net)
  const out = new Float64Array(n * F)
  for (let i = 0; i < n; i++) {
    const r = forward(net, z, i * F, s)
    for (let j = 0; j < F; j++) out[i * F + j] = Math.abs(r[j]! - z[i * F + j]!)
  }
  return out
}
