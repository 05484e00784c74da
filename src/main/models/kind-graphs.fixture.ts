import { createHash } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ModelCard } from '../../shared/model-card.ts'
import { encodeModel, floats, node, tensorValue, type GraphSpec } from './onnx-writer/onnx-builder.ts'

/*
 * Tests only: small real ONNX graphs of every card kind, written as model folders (model.onnx
 * and a card with its hash), so the registry, the scorers, the pipeline and the CLI are tested
 * through onnxruntime-node on real graphs before the trained models land. Each graph is a
 * closed-form function of the scaled window whose answer a test can work out by hand:
 *   classifier  p_anomaly = sigmoid(20 (mean(x) - 0.5))
 *   rul         rul = cap (1 - mean(x)), rul_std = 10 mean(x)
 *   defect      p_xgb = sigmoid(20 (mean(x) - 0.5)), p_lstm = sigmoid(20 (max(x) - 0.7)),
 *               p_defect = (p_xgb + p_lstm) / 2, confidence = 1 - |p_xgb - p_lstm|
 *   policy      action = tanh(2 mean(x) - 1) for every action
 * where x is the min-max scaled input (the engine scales with the card's scaler).
 */

export type FixtureKind = 'classifier' | 'rul' | 'defect' | 'policy'

export interface FixtureOptions {
  id?: string
  tags: string[]
  window?: number
  /** Scaler range, the same for every tag. Default 0..10. */
  min?: number
  max?: number
  /** kind defect: the tag whose value names the production unit. */
  by?: string
  /** kind policy: the tags it advises. */
  actions?: string[]
  /** rul and policy: how often they run, data seconds. */
  everySeconds?: number
  threshold?: number
}

const scalar = (name: string, v: number) => floats(name, [], [v])

/** mean(x) and max(x) over window and tags: [batch]. */
function reductions(g: GraphSpec, x: string, rank: number): { mean: string; max: string } {
  const axes = rank === 3 ? [1, 2] : [1]
  g.nodes.push(node('ReduceMean', [x], 'mean', { axes, keepdims: 0 }))
  g.nodes.push(node('ReduceMax', [x], 'max', { axes, keepdims: 0 }))
  return { mean: 'mean', max: 'max' }
}

/** out = sigmoid(20 (v - c)). */
function sigmoidAbove(g: GraphSpec, v: string, c: number, out: string): void {
  g.initializers.push(scalar(`${out}_c`, c), scalar(`${out}_k`, 20))
  g.nodes.push(node('Sub', [v, `${out}_c`], `${out}_d`))
  g.nodes.push(node('Mul', [`${out}_d`, `${out}_k`], `${out}_z`))
  g.nodes.push(node('Sigmoid', [`${out}_z`], out))
}

function graphOf(kind: FixtureKind, F: number, W: number, o: FixtureOptions): GraphSpec {
  const inputDims = kind === 'policy' ? ['batch', F] : ['batch', W, F]
  const g: GraphSpec = {
    name: kind,
    doc: `test fixture: ${kind}`,
    nodes: [],
    initializers: [],
    inputs: [tensorValue('x', inputDims)],
    outputs: [],
    metadata: {},
  }
  const out = (name: string, dims: (number | string)[] = ['batch']) => g.outputs.push(tensorValue(name, dims))
  if (kind === 'policy') {
    const A = o.actions?.length ?? 1
    g.initializers.push(floats('w', [F, A], new Array(F * A).fill(2 / F)), scalar('one', 1))
    g.nodes.push(node('MatMul', ['x', 'w'], 'xw'))
    g.nodes.push(node('Sub', ['xw', 'one'], 'z'))
    g.nodes.push(node('Tanh', ['z'], 'action'))
    out('action', ['batch', A])
    return g
  }
  const { mean, max } = reductions(g, 'x', 3)
  if (kind === 'classifier') {
    sigmoidAbove(g, mean, 0.5, 'p_anomaly')
    out('p_anomaly')
  } else if (kind === 'rul') {
    g.initializers.push(scalar('cap', 125), scalar('one', 1), scalar('ten', 10))
    g.nodes.push(node('Sub', ['one', mean], 'life'))
    g.nodes.push(node('Mul', ['life', 'cap'], 'rul'))
    g.nodes.push(node('Mul', [mean, 'ten'], 'rul_std'))
    out('rul')
    out('rul_std')
  } else {
    sigmoidAbove(g, mean, 0.5, 'p_xgb')
    sigmoidAbove(g, max, 0.7, 'p_lstm')
    g.initializers.push(scalar('half', 0.5), scalar('one', 1))
    g.nodes.push(node('Add', ['p_xgb', 'p_lstm'], 'sum'))
    g.nodes.push(node('Mul', ['sum', 'half'], 'p_defect'))
    g.nodes.push(node('Sub', ['p_xgb', 'p_lstm'], 'gap'))
    g.nodes.push(node('Abs', ['gap'], 'gap_abs'))
    g.nodes.push(node('Sub', ['one', 'gap_abs'], 'confidence'))
    for (const n of ['p_defect', 'p_xgb', 'p_lstm', 'confidence']) out(n)
  }
  return g
}

function cardOf(kind: FixtureKind, o: FixtureOptions, sha: string): ModelCard {
  const window = kind === 'policy' ? 1 : (o.window ?? 5)
  const every = o.everySeconds ?? 10
  const base = {
    id: o.id ?? `test-${kind}`,
    version: '1.0.0',
    kind,
    assetClass: 'other' as const,
    description: `test fixture: ${kind}`,
    file: 'model.onnx',
    sha256: sha,
    inputs: {
      name: 'x',
      tags: o.tags,
      window,
      scaler: {
        kind: 'minmax' as const,
        min: o.tags.map(() => o.min ?? 0),
        max: o.tags.map(() => o.max ?? 10),
      },
    },
    training: { data: 'none: a closed-form test graph' },
    metrics: {},
  }
  if (kind === 'classifier')
    return {
      ...base,
      outputs: { name: 'p_anomaly' },
      threshold: { value: o.threshold ?? 0.5, method: 'fixed' },
      label: 'anomaly',
    }
  if (kind === 'rul')
    return {
      ...base,
      outputs: { name: 'rul', spread: 'rul_std' },
      threshold: { value: o.threshold ?? 30, method: 'fixed' },
      rul: { unit: 'cycles', cap: 125, everySeconds: every },
      label: 'RUL',
    }
  if (kind === 'defect')
    return {
      ...base,
      outputs: { name: 'p_defect', confidence: 'confidence', members: { xgb: 'p_xgb', lstm: 'p_lstm' } },
      threshold: { value: o.threshold ?? 0.5, method: 'fixed' },
      sequence: { by: o.by ?? 'Unit', minSeconds: 0 },
      label: 'defect',
    }
  return {
    ...base,
    outputs: { name: 'action' },
    threshold: { value: o.threshold ?? 1, method: 'unused by a policy' },
    policy: {
      actions: (o.actions ?? [o.tags[0]!]).map((tag) => ({ tag, low: 0, high: 100, unit: '%' })),
      objective: 'test fixture',
      constraints: {},
      everySeconds: every,
    },
  }
}

/** Writes models/<id>/ under root for the kind; returns the folder. */
export function writeKindModel(root: string, kind: FixtureKind, o: FixtureOptions): string {
  const F = o.tags.length
  const bytes = encodeModel(graphOf(kind, F, o.window ?? 5, o), 'test')
  const sha = createHash('sha256').update(bytes).digest('hex')
  const card = cardOf(kind, o, sha)
  const dir = join(root, card.id)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'model.onnx'), bytes)
  writeFileSync(join(dir, 'model.json'), JSON.stringify(card, null, 2))
  return dir
}
