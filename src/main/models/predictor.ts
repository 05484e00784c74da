import * as ort from 'onnxruntime-node'
import { VigilError } from '../../shared/errors.ts'
import type { ModelCard } from '../../shared/model-card.ts'
import { namedOutputs } from './graph-check.ts'
import { column, MinMaxInput } from './minmax-input.ts'
import { openSession } from './onnx-session.ts'
import type { LoadedModel } from './registry.ts'
import { oneAtATime } from './one-at-a-time.ts'

/*
 * Models that predict rather than detect (card kinds rul, defect, policy): one inference over
 * n ready inputs, each [window][tags] raw values in the card's tag order, min-max scaled here.
 * When they run (every so many data seconds, at the end of a production unit) is the
 * pipeline's business (pipeline/asset-prediction.ts); this is the model call and the reading
 * of its outputs.
 */

export type PredictorKind = 'rul' | 'defect' | 'policy'

export interface PredictorOutputs {
  /** Life (rul.unit), P(defect), or NaN for a policy; NaN for an input holding a missing value. */
  value: Float64Array
  spread?: Float64Array
  confidence?: Float64Array
  members?: Record<string, Float64Array>
  /** policy: row-major [n][actions], each action mapped from [-1, 1] onto its [low, high]. */
  actions?: Float64Array
  /** policy: the graph's own actions in [-1, 1], row-major [n][actions] (setpoint-advice.ts takes these). */
  raw?: Float64Array
}

export interface Predictor {
  readonly card: ModelCard
  readonly id: string
  readonly version: string
  readonly kind: PredictorKind
  readonly tags: string[]
  readonly window: number
  readonly threshold: number
  predict(inputs: Float64Array, n: number): Promise<PredictorOutputs>
  close(): Promise<void>
}

export const isPredictorKind = (k: string): k is PredictorKind =>
  k === 'rul' || k === 'defect' || k === 'policy'

/** Whether a prediction is past the threshold: a short life, a likely defect; a policy flags nothing. */
export function flagged(kind: PredictorKind, value: number, threshold: number): boolean {
  if (kind === 'rul') return value < threshold
  if (kind === 'defect') return value > threshold
  return false
}

/** A policy's raw action a in [-1, 1] on the action's [low, high]; past the ends is clipped. */
export const mapAction = (a: number, low: number, high: number): number =>
  low + ((Math.max(-1, Math.min(1, a)) + 1) / 2) * (high - low)

export async function openPredictor(
  m: LoadedModel,
  opts: { intraOpThreads?: number } = {},
): Promise<Predictor> {
  const { card } = m
  const kind = card.kind
  if (!isPredictorKind(kind))
    throw new VigilError(
      'model.invalid',
      `${m.onnxPath}: kind "${kind}" is a window detector, not a predictor`,
    )
  const names = namedOutputs(card).map(([, name]) => name)
  const session = await openSession(m, names, opts)
  const W = kind === 'policy' ? 1 : card.inputs.window
  const T = card.inputs.tags.length
  const per = W * T
  const dims = (n: number) => (kind === 'policy' ? [n, T] : [n, W, T])
  const input = new MinMaxInput(card)
  const actions = card.policy?.actions ?? []

  async function run(raw: Float64Array, n: number): Promise<PredictorOutputs> {
    if (!Number.isInteger(n) || n < 0 || raw.length < n * per)
      throw new VigilError(
        'bad-request',
        `${card.id}: ${n} inputs of ${W} x ${T} need ${n * per} values, got ${raw.length}`,
      )
    const { x, bad } = input.scale(raw, n, per)
    const out =
      n === 0 ? {} : await session.run({ [card.inputs.name]: new ort.Tensor('float32', x, dims(n)) })
    const read = (name: string) => {
      const v = column(n === 0 ? [] : (out[name]!.data as ArrayLike<number>), n)
      for (let i = 0; i < n; i++) if (bad[i]) v[i] = NaN
      return v
    }
    const o = card.outputs
    const result: PredictorOutputs = {
      value: kind === 'policy' ? new Float64Array(n).fill(NaN) : read(o.name),
    }
    if (o.spread) result.spread = read(o.spread)
    if (o.confidence) result.confidence = read(o.confidence)
    if (o.members)
      result.members = Object.fromEntries(
        Object.entries(o.members).map(([member, name]) => [member, read(name)]),
      )
    if (kind === 'policy') {
      const A = actions.length
      const a = n === 0 ? new Float32Array(0) : (out[o.name]!.data as Float32Array)
      if (a.length !== n * A)
        throw new VigilError(
          'model.invalid',
          `${m.onnxPath}: output "${o.name}" gave ${a.length} values for ${n} inputs of ${A} actions`,
        )
      const mapped = new Float64Array(n * A)
      const raw = new Float64Array(n * A)
      for (let i = 0; i < n; i++)
        for (let k = 0; k < A; k++) {
          const act = actions[k]!
          raw[i * A + k] = bad[i] ? NaN : a[i * A + k]!
          mapped[i * A + k] = mapAction(raw[i * A + k]!, act.low, act.high)
        }
      result.actions = mapped
      result.raw = raw
    }
    return result
  }

  const calls = oneAtATime(run)
  return {
    card,
    id: card.id,
    version: card.version,
    kind,
    tags: card.inputs.tags,
    window: W,
    threshold: card.threshold.value,
    predict(inputs, n) {
      return calls.run(inputs, n)
    },
    async close() {
      await calls.idle()
      await session.release()
    },
  }
}
