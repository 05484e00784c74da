import { describe, expect, it } from 'vitest'
import { decode, encode } from './wire.ts'

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

  it('rejects a truncated frame with a clear error', () => {
    const buf = new Uint8Array(encode({ a: new Float64Array(100) }))
    expect(() => decode(buf.subarray(0, 50))).toThrow(/runs past the frame/)
    expect(() => decode(new Uint8Array(2))).toThrow(/shorter than its header/)
  })
})
