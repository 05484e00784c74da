import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ModelCard } from '../../shared/model-card.ts'
import { openClassifier, tagImportance } from './classifier-scorer.ts'
import { openDetector } from './fit/open-detector.ts'
import { writeKindModel } from './kind-graphs.fixture.ts'
import { mapAction, openPredictor } from './predictor.ts'
import { loadModel, loadModels } from './registry.ts'

const root = mkdtempSync(join(tmpdir(), 'vigil-kinds-'))
const TAGS = ['a', 'b', 'c']
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z))
afterAll(() => rmSync(root, { recursive: true, force: true }))

beforeAll(() => {
  writeKindModel(root, 'classifier', { tags: TAGS, window: 4 })
  writeKindModel(root, 'rul', { tags: TAGS, window: 4 })
  writeKindModel(root, 'defect', { tags: TAGS, window: 4, by: 'Unit' })
  writeKindModel(root, 'policy', { tags: TAGS, actions: ['a', 'b'] })
})

/** n windows of W rows whose every value is v[k] (raw units, scaler 0..10). */
const flat = (W: number, v: number[]) =>
  Float64Array.from({ length: v.length * W * 3 }, (_, i) => v[Math.floor(i / (W * 3))]!)

/** Rewrites a fixture card in place (the hash stays right: only the card changes). */
function editCard(dir: string, edit: (c: ModelCard) => void) {
  const c = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as ModelCard
  edit(c)
  writeFileSync(join(dir, 'model.json'), JSON.stringify(c))
}

describe('model kinds through onnxruntime', () => {
  it('loads a model of every kind and refuses cards that disagree with their graph, naming both', () => {
    const { models, errors } = loadModels(root)
    expect(errors).toEqual([])
    expect(models.map((m) => m.card.kind).sort()).toEqual(['classifier', 'defect', 'policy', 'rul'])

    const bad = mkdtempSync(join(root, 'bad-'))
    const policyWindow = writeKindModel(bad, 'rul', { id: 'rul-policy-shape', tags: TAGS, window: 4 })
    editCard(policyWindow, (c) => void (c.inputs.window = 6))
    expect(() => loadModel(policyWindow)).toThrow(
      /input "x" has shape \[batch, 4, 3\]; .* says \[batch, 6, 3\]/,
    )
    const noSpread = writeKindModel(bad, 'rul', { id: 'rul-no-spread', tags: TAGS, window: 4 })
    editCard(noSpread, (c) => void (c.outputs.spread = 'sigma'))
    expect(() => loadModel(noSpread)).toThrow(
      /graph outputs are "rul", "rul_std"; .*model\.json outputs\.spread says "sigma"/,
    )
    const member = writeKindModel(bad, 'defect', { id: 'defect-member', tags: TAGS, window: 4 })
    editCard(member, (c) => void (c.outputs.members!.cnn = 'p_cnn'))
    expect(() => loadModel(member)).toThrow(/outputs\.members\.cnn says "p_cnn"/)
    const actions = writeKindModel(bad, 'policy', { id: 'policy-actions', tags: TAGS, actions: ['a', 'b'] })
    editCard(actions, (c) => void c.policy!.actions.pop())
    expect(() => loadModel(actions)).toThrow(
      /output "action" has shape \[batch, 2\]; .*needs \[batch\] or \[batch, 1\]/,
    )
    const ranks = writeKindModel(bad, 'classifier', { id: 'classifier-as-policy', tags: TAGS, window: 4 })
    editCard(ranks, (c) => {
      c.kind = 'policy'
      c.inputs.window = 1
      c.policy = {
        actions: [{ tag: 'a', low: 0, high: 1, unit: '' }],
        objective: 'x',
        constraints: {},
        everySeconds: 1,
      }
    })
    expect(() => loadModel(ranks)).toThrow(
      /input "x" has shape \[batch, 4, 3\]; .* says \[batch, 3\] \(inputs\.tags\) for kind "policy"/,
    )
    rmSync(bad, { recursive: true })
  })

  it('scores a classifier as a detector: P(anomaly) of the scaled window, shares that sum to 1', async () => {
    const m = loadModel(join(root, 'test-classifier'))
    const det = await openDetector(m)
    // Scaled means 0.2 and 0.9: one clearly normal window, one clearly anomalous.
    const w = flat(4, [2, 9])
    w[4 * 3 + 1] = NaN
    const r = await det.score(w.slice(0, 24), 2)
    expect(r.score[0]).toBeCloseTo(sigmoid(20 * (0.2 - 0.5)), 5)
    expect(r.score[1]).toBeNaN()
    const ok = await det.score(flat(4, [9]), 1)
    expect(ok.score[0]).toBeCloseTo(sigmoid(20 * (0.9 - 0.5)), 5)
    expect(ok.score[0]! > det.threshold).toBe(true)
    expect([...ok.contrib].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9)
    await det.close()
  })

  it('gives the tag that moved the largest classifier contribution, weighted by card importances', async () => {
    const m = loadModel(join(root, 'test-classifier'))
    const det = await openClassifier(m)
    const w = flat(4, [5])
    for (let s = 0; s < 4; s++) w[s * 3 + 2] = 10 // tag c at the top of its range, a and b mid-range
    const { contrib } = await det.score(w, 1)
    expect(contrib[2]).toBeGreaterThan(0.99)
    await det.close()
    const weighted = {
      ...m.card,
      metrics: { featureImportance: { a_mean: 0.5, 'std:a': 0.25, c_mean: 0.25 } },
    }
    expect([...tagImportance(weighted)!]).toEqual([0.75, 0, 0.25])
    const perTag = { ...weighted, metrics: { ...weighted.metrics, tagImportance: { b: 1 } } }
    expect([...tagImportance(perTag)!]).toEqual([0, 1, 0])
    expect(tagImportance(m.card)).toBeNull()
  })

  it('reads a RUL model life and spread, and a defect model ensemble, members and confidence', async () => {
    const rul = await openPredictor(loadModel(join(root, 'test-rul')))
    const r = await rul.predict(flat(4, [2, 8]), 2)
    expect([...r.value].map((v) => +v.toFixed(4))).toEqual([100, 25])
    expect([...r.spread!].map((v) => +v.toFixed(4))).toEqual([2, 8])
    await rul.close()

    const defect = await openPredictor(loadModel(join(root, 'test-defect')))
    const w = flat(4, [6])
    w[5] = 9 // one sample high: max 0.9 while the mean stays near 0.6
    const d = await defect.predict(w, 1)
    const mean = (0.6 * 11 + 0.9) / 12
    const xgb = sigmoid(20 * (mean - 0.5))
    const lstm = sigmoid(20 * (0.9 - 0.7))
    expect(d.members!.xgb![0]).toBeCloseTo(xgb, 5)
    expect(d.members!.lstm![0]).toBeCloseTo(lstm, 5)
    expect(d.value[0]).toBeCloseTo((xgb + lstm) / 2, 5)
    expect(d.confidence![0]).toBeCloseTo(1 - Math.abs(xgb - lstm), 5)
    await defect.close()
  })

  it('maps a policy action from [-1, 1] onto each action range and gives NaN for a missing input', async () => {
    const p = await openPredictor(loadModel(join(root, 'test-policy')))
    const r = await p.predict(Float64Array.from([5, 5, 5, 10, 10, NaN]), 2)
    // Scaled mean 0.5: tanh(0) = 0, the middle of 0..100.
    expect(r.actions![0]).toBeCloseTo(50, 4)
    expect(r.actions![1]).toBeCloseTo(50, 4)
    expect(r.actions![2]).toBeNaN()
    expect(r.value[0]).toBeNaN()
    expect(mapAction(2, 0, 100)).toBe(100)
    expect(mapAction(-0.5, 10, 20)).toBe(12.5)
    await p.close()
  })
})
