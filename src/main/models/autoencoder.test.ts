import { readFileSync } from 'node:fs'
import * as ort from 'onnxruntime-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openAutoencoder, type Autoencoder } from './autoencoder.ts'
import { loadModel, type LoadedModel } from './registry.ts'

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

beforeAll(async () => {
  model = loadModel(dir)
  ae = await openAutoencoder(model)
})
afterAll(() => ae.close())

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
