import { describe, expect, it } from 'vitest'
import type { LiveMessage } from './samples.ts'
import { decode, encode, liveFrame, liveMessages } from './wire.ts'

describe('wire', () => {
  it('round-trips a sample batch with typed arrays bit for bit, NaN included', () => {
    const msg = {
      topic: 'samples',
      batch: {
        assetId: 'P-101',
        t: new Float64Array([1, 2, 3]),
        values: [new Float64Array([1.5, NaN, -Infinity]), new Float64Array([0, 1e300, 3])],
        quality: [new Uint8Array([0, 8, 1]), new Uint8Array([0, 0, 0])],
      },
    }
    const out = decode(encode(msg)) as typeof msg
    expect(out.topic).toBe('samples')
    expect(Array.from(out.batch.t)).toEqual([1, 2, 3])
    expect(out.batch.values[0]).toBeInstanceOf(Float64Array)
    expect(Number.isNaN(out.batch.values[0]![1])).toBe(true)
    expect(out.batch.values[0]![2]).toBe(-Infinity)
    expect(Array.from(out.batch.values[1]!)).toEqual([0, 1e300, 3])
    expect(Array.from(out.batch.quality[0]!)).toEqual([0, 8, 1])
  })

  it('decodes from a Uint8Array view at an odd offset, as sockets deliver them', () => {
    const buf = new Uint8Array(encode({ a: new Float64Array([42, 43]), s: 'x' }))
    const shifted = new Uint8Array(buf.length + 3)
    shifted.set(buf, 3)
    const out = decode(shifted.subarray(3)) as { a: Float64Array; s: string }
    expect(Array.from(out.a)).toEqual([42, 43])
    expect(out.s).toBe('x')
  })

  it("carries the engine's 'models' message beside batches, as typed in LiveMessage", () => {
    const models: LiveMessage = { topic: 'models', revision: 3, modelId: 'hand-ae', assetIds: ['P-101'] }
    const samples: LiveMessage = {
      topic: 'samples',
      batch: { assetId: 'P-101', t: new Float64Array([5]), values: [new Float64Array([1])] },
    }
    const out = liveMessages(decode(encode(liveFrame([samples, models])))) as LiveMessage[]
    expect(out.map((m) => m.topic)).toEqual(['samples', 'models'])
    expect(out[1]).toEqual(models)
    expect(liveMessages(decode(encode(models)))).toEqual([models])
  })

  it('rejects a truncated frame with a clear error', () => {
    const buf = new Uint8Array(encode({ a: new Float64Array(100) }))
    expect(() => decode(buf.subarray(0, 50))).toThrow(/runs past the frame/)
    expect(() => decode(new Uint8Array(2))).toThrow(/shorter than its header/)
  })
})

describe('live frames', () => {
  it("carries many assets' messages in one frame, in order, arrays intact", () => {
    const msgs = ['P-001', 'P-002', 'P-003'].map((assetId, i) => ({
      topic: 'samples',
      batch: { assetId, t: new Float64Array([i, i + 0.5]), values: [new Float64Array([i * 10, NaN])] },
    }))
    const out = liveMessages(decode(encode(liveFrame([...msgs, { topic: 'alarms', alarms: [] }])))) as {
      topic: string
      batch?: { assetId: string; t: Float64Array; values: Float64Array[] }
    }[]
    expect(out.map((m) => m.batch?.assetId ?? m.topic)).toEqual(['P-001', 'P-002', 'P-003', 'alarms'])
    expect(Array.from(out[2]!.batch!.t)).toEqual([2, 2.5])
    expect(out[1]!.batch!.values[0]![0]).toBe(10)
    expect(Number.isNaN(out[1]!.batch!.values[0]![1])).toBe(true)
  })

  it('reads a single message as itself, an answer as no message, and refuses a malformed batch', () => {
    expect(liveMessages({ topic: 'status' })).toEqual([{ topic: 'status' }])
    expect(liveMessages({ id: 1, result: { ok: true } })).toEqual([])
    expect(liveMessages({ live: [{ topic: 'faults' }, 7, null, { nope: 1 }] })).toEqual([{ topic: 'faults' }])
    expect(() => liveMessages({ live: 'x' })).toThrow(/wire: a live frame's "live" must be an array/)
  })
})
