import { readFileSync } from 'node:fs'
import * as ort from 'onnxruntime-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FaultKind } from '../../src/shared/samples.ts'
import type { Autoencoder } from '../../src/main/models/autoencoder.ts'
import { openClassifier } from '../../src/main/models/classifier-scorer.ts'
import { loadModel, type LoadedModel } from '../../src/main/models/registry.ts'
import { columnsFor, slideWindows } from '../../src/main/models/windows.ts'
import { COMPRESSOR_TAGS } from '../../src/main/sources/simulator/compressor-physics.ts'
import { generateCompressor } from '../../src/main/sources/simulator/compressor-run.ts'

/*
 * The shipped compressor-rf: its card passes the registry, onnxruntime reproduces what sklearn
 * said of the golden windows, and on fresh simulator seeds (7001, 7101: none of training's
 * 100-499 and 1000-1613, validation's 21-23 and 2000-2604, test's 41-43 and 3000-3606)
 * Vigil's classifier scorer flags faults and leaves normal running alone.
 */

const here = new URL('./', import.meta.url).pathname
const golden = JSON.parse(readFileSync(`${here}golden.json`, 'utf8')) as {
  tags: string[]
  raw: number[][][]
  input: number[][][]
  features: number[][]
  p_anomaly: number[]
}

let model: LoadedModel
let session: ort.InferenceSession
let rf: Autoencoder
beforeAll(async () => {
  model = loadModel(here)
  session = await ort.InferenceSession.create(model.onnxPath, { intraOpNumThreads: 1 })
  rf = await openClassifier(model)
})
afterAll(async () => {
  await session.release()
  await rf.close()
})

/** The card's min-max scaling of raw windows, as the engine feeds the graph. */
function scaled(raw: number[][][]): Float32Array {
  const { min, max } = model.card.inputs.scaler
  return Float32Array.from(
    raw.flat(2),
    (v, i) =>
      (v - min[i % min.length]!) /
      (max[i % min.length]! > min[i % min.length]! ? max[i % min.length]! - min[i % min.length]! : 1),
  )
}

async function runGraph(x: Float32Array, n: number) {
  const { window, tags } = model.card.inputs
  const out = await session.run({ window: new ort.Tensor('float32', x, [n, window, tags.length]) })
  return { p: out.p_anomaly!.data as Float32Array, features: out.features!.data as Float32Array }
}

describe('compressor-rf model files', () => {
  it('loads through the registry as a 30 s x 14 tag classifier whose output is p_anomaly', () => {
    expect(model.card.kind).toBe('classifier')
    expect(model.card.inputs.tags).toEqual([...COMPRESSOR_TAGS])
    expect(model.card.inputs.window).toBe(30)
    expect(model.card.outputs.name).toBe('p_anomaly')
    expect(golden.tags).toEqual(model.card.inputs.tags)
  })

  it('reproduces the features and sklearn predict_proba of the golden windows', async () => {
    const x = scaled(golden.raw)
    golden.input.flat(2).forEach((v, i) => expect(x[i]).toBeCloseTo(v, 5))
    const { p, features } = await runGraph(Float32Array.from(golden.input.flat(2)), golden.raw.length)
    golden.features
      .flat()
      .forEach((v, i) => expect(Math.abs(features[i]! - v)).toBeLessThan(1e-6 + 1e-4 * Math.abs(v)))
    golden.p_anomaly.forEach((v, i) => expect(Math.abs(p[i]! - v)).toBeLessThan(1e-5 + 1e-4 * v))
    // The golden windows are a normal one and one of each fault: the decisions must differ.
    const flagged = golden.p_anomaly.map((v) => v > model.card.threshold.value)
    expect(flagged[0]).toBe(false)
    expect(flagged.slice(1)).toContain(true)
  })

  it('scores a window holding a NaN (a dropout) NaN, not a confident number', async () => {
    const x = Float32Array.from(golden.input[0]!.flat())
    x[5 * 14 + 3] = NaN
    const { p } = await runGraph(x, 1)
    expect(Number.isNaN(p[0])).toBe(true)
  })
})

const startMs = Date.UTC(2024, 10, 4, 5)
const faultAt = startMs + 10 * 60_000

async function scoreRun(
  seed: number,
  n: number,
  fault?: { kind: FaultKind; severity: number; rampS: number },
) {
  const { batch } = generateCompressor({
    seed,
    startMs,
    n,
    faults: fault ? [{ ...fault, since: faultAt }] : [],
  })
  const cols = columnsFor(rf.tags, COMPRESSOR_TAGS, batch.values, `seed ${seed}`)
  const w = slideWindows(cols, rf.window)
  const { score } = await rf.score(w.data, w.n)
  const ends = Array.from(w.ends, (e) => batch.t[e]!)
  return { score, ends }
}

describe('compressor-rf on the compressor simulator, unseen seeds', () => {
  it('keeps an hour of normal running NORMAL in over 98% of windows', async () => {
    const { score } = await scoreRun(7001, 3600)
    const rate = score.filter((s) => s > rf.threshold).length / score.length
    console.log(
      `compressor-rf normal running, seed 7001: ${(rate * 100).toFixed(2)}% of ${score.length} windows flagged`,
    )
    expect(rate).toBeLessThan(0.02)
  })

  it.each([
    ['bearing_wear', 1, 600, 180],
    ['surge', 0.8, 120, 300],
  ] as const)(
    'flags %s (severity %d, ramp %i s) within %i s and holds it at full severity',
    async (kind, severity, rampS, bound) => {
      const { score, ends } = await scoreRun(7101, 40 * 60, { kind, severity, rampS })
      const before = score.filter((s, k) => ends[k]! < faultAt && s > rf.threshold).length
      const first = score.findIndex((s, k) => ends[k]! >= faultAt && s > rf.threshold)
      const delay = (ends[first]! - faultAt) / 1000
      const full = score.filter((_, k) => ends[k]! >= faultAt + rampS * 1000 + 60_000)
      const held = full.filter((s) => s > rf.threshold).length / full.length
      console.log(
        `compressor-rf ${kind}: flagged ${delay} s after the fault began; ${(held * 100).toFixed(1)}% of windows at full severity; ${before} flagged before`,
      )
      expect(first).toBeGreaterThanOrEqual(0)
      expect(delay).toBeLessThanOrEqual(bound)
      expect(held).toBeGreaterThan(0.95)
      expect(before).toBeLessThan(12)
    },
  )
})
