import { describe, expect, it } from 'vitest'
import type { LiveMessage, ScoreBatch } from '../../shared/samples.ts'
import { LiveMerge } from './live-merge.ts'

const samples = (assetId: string, t: number[]): LiveMessage => ({
  topic: 'samples',
  batch: {
    assetId,
    t: Float64Array.from(t),
    values: [Float64Array.from(t, (x) => x * 10), Float64Array.from(t, (x) => -x)],
    quality: [Uint8Array.from(t, () => 0), Uint8Array.from(t, (x) => x % 2)],
  },
  rolling: { mean: Float64Array.of(t[0]!, 0), std: Float64Array.of(1, 1) },
})
const scores = (t: number[]): LiveMessage => ({
  topic: 'scores',
  batch: {
    assetId: 'A',
    modelId: 'm',
    modelVersion: '1',
    tags: ['x', 'y'],
    threshold: 1,
    t: Float64Array.from(t),
    score: Float64Array.from(t, (x) => x / 10),
    anomaly: Uint8Array.from(t, () => 0),
    contrib: Float64Array.from(t.flatMap(() => [0.5, 0.5])),
    sensorState: Uint8Array.from(t.flatMap(() => [0, 0])),
    latencyMs: 0.1,
  } satisfies ScoreBatch,
})

describe('LiveMerge', () => {
  it('sends each asset one message holding every sample it held, in order, and counts what it folded', () => {
    const m = new LiveMerge()
    for (const x of [samples('A', [1, 2]), samples('B', [5]), samples('A', [3]), scores([2]), scores([3, 4])])
      m.add(x as Extract<LiveMessage, { topic: 'samples' | 'scores' }>)
    const out: LiveMessage[] = []
    m.flush((x) => out.push(x))
    expect(m.merged).toBe(2)
    expect(out.map((x) => x.topic)).toEqual(['samples', 'samples', 'scores'])
    const a = out[0] as Extract<LiveMessage, { topic: 'samples' }>
    expect(a.batch.assetId).toBe('A')
    expect(Array.from(a.batch.t)).toEqual([1, 2, 3])
    expect(Array.from(a.batch.values[0]!)).toEqual([10, 20, 30])
    expect(Array.from(a.batch.quality![1]!)).toEqual([1, 0, 1])
    // The rolling statistics are the newest batch's.
    expect(a.rolling!.mean[0]).toBe(3)
    const s = out[2] as Extract<LiveMessage, { topic: 'scores' }>
    expect(Array.from(s.batch.t)).toEqual([2, 3, 4])
    expect(s.batch.contrib.length).toBe(6)
    out.length = 0
    m.flush((x) => out.push(x))
    expect(out).toEqual([])
  })
})
