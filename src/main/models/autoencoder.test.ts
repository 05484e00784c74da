import { readFileSync } from 'node:fs'
import * as ort from 'onnxruntime-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generatePump, PUMP_TAGS } from '../sources/simulator/index.ts'
import { openAutoencoder, type Autoencoder } from './autoencoder.ts'
import { loadModel, type LoadedModel } from './registry.ts'
import { columnsFor, slideWindows } from './windows.ts'

const dir = new URL('../../../models/pump-ae/', import.meta.url).pathname
const golden = JSON.parse(readFileSync(`${dir}golden.json`, 'utf8')) as {
  raw: number[][][]
  input: number[][][]
  reconstruction: number[][][]
  score: number[]
}
const flat = (a: number[][][]) => Float64Array.from(a.flat(2))
let model: LoadedModel
let ae: Autoencoder
/** The same model with the card's errorBaseline removed: raw shares of the error. */
let rawAe: Autoencoder

beforeAll(async () => {
  model = loadModel(dir)
  ae = await openAutoencoder(model)
  const { errorBaseline: _, ...inputs } = model.card.inputs
  rawAe = await openAutoencoder({ ...model, card: { ...model.card, inputs } })
})
afterAll(() => Promise.all([ae.close(), rawAe.close()]))

/** Per tag, the mean share over the windows of a simulator run that `keep` selects. */
async function meanShares(
  a: Autoencoder,
  faults: Parameters<typeof generatePump>[0]['faults'],
  keep: (score: number, end: number) => boolean,
) {
  const b = generatePump({ seed: 4646, startMs: Date.UTC(2024, 9, 1, 14), n: 1800, faults })
  const w = slideWindows(columnsFor(a.tags, PUMP_TAGS, b.values, 'seed 4646'), a.window)
  const { score, contrib } = await a.score(w.data, w.n)
  const F = a.tags.length
  const sum = new Float64Array(F)
  let n = 0
  for (let k = 0; k < w.n; k++) {
    if (!keep(score[k]!, b.t[w.ends[k]!]!)) continue
    for (let j = 0; j < F; j++) sum[j]! += contrib[k * F + j]!
    n++
  }
  expect(n).toBeGreaterThan(100)
  const mean = Array.from(sum, (v) => v / n)
  return Object.fromEntries(a.tags.map((tag, j) => [tag, mean[j]!]))
}
const ranked = (shares: Record<string, number>) =>
  Object.entries(shares)
    .sort((x, y) => y[1] - x[1])
    .map(([tag]) => tag)

describe('pump-ae through onnxruntime-node', () => {
  it('reproduces the reconstructions torch saved in golden.json', async () => {
    const n = golden.input.length
    const session = await ort.InferenceSession.create(model.onnxPath)
    const x = new ort.Tensor('float32', Float32Array.from(golden.input.flat(2)), [n, 30, 10])
    const rec = (await session.run({ window: x })).reconstruction!.data as Float32Array
    await session.release()
    const want = golden.reconstruction.flat(2)
    expect(rec.length).toBe(want.length)
    const worst = want.reduce((m, v, i) => Math.max(m, Math.abs(v - rec[i]!)), 0)
    expect(worst).toBeLessThan(1e-4)
  })

  it('scales raw windows with the card scaler and scores them as torch did', async () => {
    const { score, contrib } = await ae.score(flat(golden.raw), golden.raw.length)
    golden.score.forEach((s, i) => expect(score[i]).toBeCloseTo(s, 4))
    for (let w = 0; w < golden.raw.length; w++) {
      const row = contrib.subarray(w * 10, w * 10 + 10)
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9)
      expect(row.every((c) => c >= 0)).toBe(true)
    }
  })

  it('gives the same scores batched as one window at a time', async () => {
    const all = flat(golden.raw)
    const batched = await ae.score(all, golden.raw.length)
    for (let w = 0; w < golden.raw.length; w++) {
      const one = await ae.score(all.subarray(w * 300, w * 300 + 300), 1)
      expect(one.score[0]).toBeCloseTo(batched.score[w]!, 5)
    }
  })

  it('scores a window holding a NaN as NaN and leaves its neighbours untouched', async () => {
    const all = flat(golden.raw)
    const clean = await ae.score(all, golden.raw.length)
    all[300 + 7 * 10 + 3] = NaN // window 1, step 7, vibration
    const { score, contrib } = await ae.score(all, golden.raw.length)
    expect(score[1]).toBeNaN()
    expect(contrib[10]).toBeNaN()
    expect(score[0]).toBeCloseTo(clean.score[0]!, 6)
    expect(score[2]).toBeCloseTo(clean.score[2]!, 6)
  })

  it('runs concurrent calls one after another without mixing their inputs', async () => {
    const all = flat(golden.raw)
    const [a, b] = await Promise.all([ae.score(all.subarray(0, 300), 1), ae.score(all.subarray(600, 900), 1)])
    expect(a.score[0]).toBeCloseTo(golden.score[0]!, 4)
    expect(b.score[0]).toBeCloseTo(golden.score[2]!, 4)
  })

  it('refuses a buffer shorter than n windows', async () => {
    await expect(ae.score(new Float64Array(299), 1)).rejects.toThrow(
      /1 windows of 30 x 10 need 300 values, got 299/,
    )
  })

  it('refuses a card whose input name the graph does not have, naming the file', async () => {
    const wrong = { ...model, card: { ...model.card, inputs: { ...model.card.inputs, name: 'x' } } }
    await expect(openAutoencoder(wrong)).rejects.toThrow(
      expect.objectContaining({
        code: 'model.invalid',
        message: expect.stringMatching(/model\.onnx: graph takes \[window\].*input "x"/),
      }),
    )
  })
})

describe('pump-ae sensor contributions', () => {
  const F = 10
  const share = (c: Float64Array, w: number, j: number) => c[w * F + j]!

  it('falls back to raw shares of the absolute error when the card has no error baseline', async () => {
    const { contrib } = await rawAe.score(flat(golden.raw), golden.raw.length)
    golden.input.forEach((win, w) => {
      const err = new Float64Array(F)
      win.forEach((row, s) =>
        row.forEach((x, j) => (err[j]! += Math.abs(golden.reconstruction[w]![s]![j]! - x))),
      )
      const total = err.reduce((a, b) => a + b, 0)
      err.forEach((e, j) => expect(share(contrib, w, j)).toBeCloseTo(e / total, 4))
    })
  })

  it('counts error up to a sensor baseline in units of it and error beyond it at its size', async () => {
    const base = model.card.inputs.errorBaseline!
    const typical = base.reduce((a, b) => a + b, 0) / F
    const { contrib } = await ae.score(flat(golden.raw), golden.raw.length)
    golden.input.forEach((win, w) => {
      const e = new Float64Array(F)
      win.forEach((row, s) =>
        row.forEach((x, j) => (e[j]! += Math.abs(golden.reconstruction[w]![s]![j]! - x) / 30)),
      )
      const counts = Array.from(
        e,
        (v, j) => (typical * Math.min(v, base[j]!)) / base[j]! + Math.max(0, v - base[j]!),
      )
      const total = counts.reduce((a, b) => a + b, 0)
      counts.forEach((c, j) => expect(share(contrib, w, j)).toBeCloseTo(c / total, 4))
    })
  })

  it('gives no sensor more than 2/F of a normal window on average, where raw shares let vibration take more', async () => {
    const normal = await meanShares(ae, [], () => true)
    const raw = await meanShares(rawAe, [], () => true)
    console.log(
      'mean shares in normal running (raw -> with baseline):',
      Object.keys(normal)
        .map((t) => `${t} ${raw[t]!.toFixed(3)} -> ${normal[t]!.toFixed(3)}`)
        .join(', '),
    )
    expect(Math.max(...Object.values(normal))).toBeLessThan(2 / F)
    expect(Math.min(...Object.values(normal))).toBeGreaterThan(0.5 / F)
    expect(raw.Vibration_mm_s).toBeGreaterThan(2 / F)
  })

  it('ranks vibration or bearing temperature first in the ANOMALY windows of bearing wear', async () => {
    const since = Date.UTC(2024, 9, 1, 14, 10)
    const shares = await meanShares(
      ae,
      [{ kind: 'bearing_wear', since, rampS: 600 }],
      (s, t) => t >= since && s > ae.threshold,
    )
    console.log(
      'mean shares in bearing-wear ANOMALY windows:',
      ranked(shares)
        .slice(0, 4)
        .map((t) => `${t} ${shares[t]!.toFixed(3)}`)
        .join(', '),
    )
    expect(['Vibration_mm_s', 'Bearing_Temperature_C']).toContain(ranked(shares)[0])
    expect(shares.Suction_Pressure_bar).toBeLessThan(1 / F)
    expect(shares.Ambient_Temperature_C).toBeLessThan(1.5 / F)
  })
})
