import { readFileSync } from 'node:fs'
import * as ort from 'onnxruntime-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ModelCard } from '../../src/shared/model-card.ts'
import { loadModel } from '../../src/main/models/registry.ts'
import { openSession } from '../../src/main/models/onnx-session.ts'
import { resampleSequence } from '../../src/main/models/resample-sequence.ts'
import { CASTER_TAGS } from '../../src/main/sources/simulator/caster-physics.ts'
import { generateCasts } from '../../src/main/sources/simulator/caster-run.ts'

/*
 * The shipped caster-defect graph: it reproduces what xgboost and torch gave in training
 * (golden.json) from raw casts run through Vigil's own resampling and scaling, and it finds the
 * simulator's defects on casts from a seed it never saw (train 1-6, validation 11-12, test 21-22).
 */

interface Golden {
  tags: string[]
  raw: { kind: string; seed: number; cast: number; t: number[]; values: number[][] }[]
  casts: { seed: number; cast: number; defect: boolean }[]
  input: number[][][]
  p_xgb: number[]
  p_lstm: number[]
  p_defect: number[]
  confidence: number[]
}

const dir = new URL('./', import.meta.url).pathname
const golden = JSON.parse(readFileSync(new URL('./golden.json', import.meta.url), 'utf8')) as Golden
let card: ModelCard
let session: ort.InferenceSession
const OUTPUTS = ['p_defect', 'confidence', 'p_xgb', 'p_lstm'] as const
type Outputs = Record<(typeof OUTPUTS)[number], Float32Array>

beforeAll(async () => {
  const m = loadModel(dir)
  card = m.card
  session = await openSession(m, [
    card.outputs.name,
    card.outputs.confidence!,
    ...Object.values(card.outputs.members!),
  ])
})
afterAll(() => session?.release())

/** A cast's raw columns (card tag order) -> resampled -> the card's min-max scaling, as the engine feeds it. */
function castInput(t: ArrayLike<number>, cols: ArrayLike<number>[], what: string): Float32Array {
  const W = card.inputs.window
  const T = card.inputs.tags.length
  const raw = resampleSequence(t, cols, W, what)
  const { min, max } = card.inputs.scaler
  const x = new Float32Array(W * T)
  for (let i = 0; i < x.length; i++) {
    const j = i % T
    x[i] = (raw[i]! - min[j]!) * (max[j]! > min[j]! ? 1 / (max[j]! - min[j]!) : 1)
  }
  return x
}

async function score(inputs: Float32Array[]): Promise<Outputs> {
  const W = card.inputs.window
  const T = card.inputs.tags.length
  const x = new Float32Array(inputs.length * W * T)
  inputs.forEach((v, k) => x.set(v, k * W * T))
  const out = await session.run({ [card.inputs.name]: new ort.Tensor('float32', x, [inputs.length, W, T]) })
  return Object.fromEntries(OUTPUTS.map((o) => [o, out[o]!.data as Float32Array])) as Outputs
}

/** ROC-AUC by ranks (Mann-Whitney), ties counted half. */
function rocAuc(p: ArrayLike<number>, y: boolean[]): number {
  let pos = 0
  let wins = 0
  for (let i = 0; i < y.length; i++) if (y[i]) pos++
  for (let i = 0; i < y.length; i++)
    if (y[i])
      for (let j = 0; j < y.length; j++) if (!y[j]) wins += p[i]! > p[j]! ? 1 : p[i] === p[j] ? 0.5 : 0
  return wins / (pos * (y.length - pos))
}

/** n casts of a seed, scored; casts shorter than the card's minSeconds are skipped as the engine skips them. */
async function scoreCasts(
  seed: number,
  n: number,
  faults: Parameters<typeof generateCasts>[0]['faults'] = [],
) {
  const { batch, casts } = generateCasts({ seed, n, faults })
  const cols = card.inputs.tags.map(
    (tag) => batch.values[CASTER_TAGS.indexOf(tag as (typeof CASTER_TAGS)[number])]!,
  )
  const kept = casts.filter((c) => (c.endMs - c.startMs) / 1000 >= card.sequence!.minSeconds)
  const inputs = kept.map((c) => {
    const rows = (v: Float64Array) => v.subarray(c.firstRow, c.firstRow + c.rows)
    return castInput(rows(batch.t), cols.map(rows), `seed ${seed} cast ${c.cast}`)
  })
  return { casts: kept, out: await score(inputs) }
}

describe('caster-defect', () => {
  it('has a defect card the registry accepts: 64 steps of the 12 process tags, cast by Cast_Number', () => {
    expect(card.kind).toBe('defect')
    expect(card.sequence).toEqual({ by: 'Cast_Number', minSeconds: 120 })
    expect(card.inputs.window).toBe(64)
    expect(card.inputs.tags).toEqual(CASTER_TAGS.filter((t) => t !== 'Cast_Number'))
    expect(card.outputs).toEqual({
      name: 'p_defect',
      confidence: 'confidence',
      members: { xgboost: 'p_xgb', lstm: 'p_lstm' },
    })
  })

  it('turns raw simulated casts into exactly the input train.py resampled and scaled with numpy', () => {
    expect(golden.raw.map((r) => r.kind).sort()).toEqual(['breakoutRisk', 'crack', 'normal'])
    golden.raw.forEach((r, k) => {
      const x = castInput(r.t, r.values, `golden ${r.kind}`)
      const want = golden.input[k]!.flat()
      let worst = 0
      for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - want[i]!))
      // float32 of the same float64 values: equal, up to one float32 rounding at most.
      expect(worst, `${r.kind} cast`).toBeLessThan(1e-6)
    })
  })

  it('reproduces xgboost, torch, the ensemble and the confidence of golden.json', async () => {
    const out = await score(golden.input.map((c) => Float32Array.from(c.flat())))
    for (const name of OUTPUTS)
      golden[name].forEach((want, k) => {
        expect(Math.abs(out[name][k]! - want), `${name} of golden cast ${k}`).toBeLessThan(
          1e-5 + 1e-4 * Math.abs(want),
        )
      })
  })

  it('ranks defective casts of an unseen seed above sound ones, and flags most of them', async () => {
    const { casts, out } = await scoreCasts(4242, 400)
    const y = casts.map((c) => c.defect)
    const thr = card.threshold.value
    const auc = rocAuc(out.p_defect, y)
    const flagged = (i: number) => out.p_defect[i]! > thr
    const recall = y.filter((d, i) => d && flagged(i)).length / y.filter(Boolean).length
    const falseAlarms = y.filter((d, i) => !d && flagged(i)).length / y.filter((d) => !d).length
    console.log(
      `caster-defect seed 4242: ${casts.length} casts, ${y.filter(Boolean).length} defective; ROC-AUC ensemble ` +
        `${auc.toFixed(3)}, xgboost ${rocAuc(out.p_xgb, y).toFixed(3)}, lstm ${rocAuc(out.p_lstm, y).toFixed(3)}; ` +
        `at p > ${thr}: recall ${recall.toFixed(2)}, false alarms ${(falseAlarms * 100).toFixed(1)}% of sound casts`,
    )
    expect(y.filter(Boolean).length).toBeGreaterThan(20)
    expect(auc).toBeGreaterThan(0.9)
    expect(recall).toBeGreaterThan(0.6)
    expect(falseAlarms).toBeLessThan(0.08)
    // Stickers are the costly defect (a breakout): every breakout-risk cast is flagged.
    const breakouts = casts.map((c, i) => [c.breakoutRisk, flagged(i)] as const).filter(([b]) => b)
    expect(breakouts.length).toBeGreaterThan(5)
    expect(breakouts.every(([, f]) => f)).toBe(true)
    // The ensemble sits between its members, and confidence is a share.
    for (let i = 0; i < casts.length; i++) {
      const [a, b] = [out.p_xgb[i]!, out.p_lstm[i]!].sort((u, v) => u - v)
      expect(out.p_defect[i]!).toBeGreaterThanOrEqual(a! - 1e-6)
      expect(out.p_defect[i]!).toBeLessThanOrEqual(b! + 1e-6)
      expect(out.confidence[i]!).toBeGreaterThanOrEqual(0)
      expect(out.confidence[i]!).toBeLessThanOrEqual(1)
    }
  })

  it('is right more often when it is confident than when it is not', async () => {
    const { casts, out } = await scoreCasts(4343, 400)
    const thr = card.threshold.value
    const right = casts.map((c, i) => out.p_defect[i]! > thr === c.defect)
    const order = casts.map((_, i) => i).sort((i, j) => out.confidence[i]! - out.confidence[j]!)
    const accuracy = (ix: number[]) => ix.filter((i) => right[i]).length / ix.length
    const low = accuracy(order.slice(0, 100))
    const high = accuracy(order.slice(-100))
    console.log(
      `caster-defect seed 4343: decision accuracy, 100 least confident ${low}, 100 most confident ${high}`,
    )
    expect(high).toBeGreaterThan(low)
    expect(high).toBeGreaterThan(0.97)
  })

  it('flags the casts that injected mould-level hunting on a hot heat cracks', async () => {
    const since = Date.UTC(2024, 0, 1)
    const hot = await scoreCasts(4444, 12, [
      { kind: 'mould_level_hunting', since, rampS: 0 },
      { kind: 'superheat_high', since, rampS: 0 },
    ])
    const cracked = hot.casts.map((c, i) => [c.crack, hot.out.p_defect[i]!] as const).filter(([c]) => c)
    console.log(
      `caster-defect level hunting + hot heat: P(defect) of cracked casts ${cracked.map(([, p]) => p.toFixed(2))}`,
    )
    expect(cracked.length).toBeGreaterThanOrEqual(8)
    expect(cracked.filter(([, p]) => p > card.threshold.value).length).toBeGreaterThanOrEqual(
      cracked.length - 1,
    )
  })
})
