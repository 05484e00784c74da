import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import regressions from '../../fuzz-regressions/wire.json' with { type: 'json' }
import { decode, encode } from './wire.ts'

/*
 * A WebSocket frame comes from whoever holds the token, or from a buggy client: decode must
 * answer every byte string with a value or a clean `wire:` Error, never crash, hang or hand
 * back a typed array that reads outside its frame.
 */

const RUNS = 400

/** decode's whole promise: a value, or an Error saying what is wrong with the frame. */
function decodesOrRefuses(bytes: Uint8Array): void {
  try {
    decode(bytes)
  } catch (e) {
    expect(e).toBeInstanceOf(Error)
    expect((e as Error).message).toMatch(/^wire: /)
  }
}

/** A frame with the given header text and `body` bytes of array data after it. */
function frame(header: string, body: number): Uint8Array {
  const head = new TextEncoder().encode(header)
  const start = (4 + head.length + 7) & ~7
  const out = new Uint8Array(start + body)
  new DataView(out.buffer).setUint32(0, head.length, true)
  out.set(head, 4)
  for (let i = start; i < out.length; i++) out[i] = i & 0xff
  return out
}

const typed = fc.oneof(
  fc.float64Array({ maxLength: 20 }),
  fc.float32Array({ maxLength: 20 }),
  fc.uint8Array({ maxLength: 20 }),
  fc.int32Array({ maxLength: 20 }),
)
const message = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    typed,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 4 }),
  ),
})).value

const anyNumber = fc.oneof(
  fc.integer({ min: -64, max: 256 }),
  fc.double(),
  fc.constantFrom(2 ** 31, 2 ** 32, 2 ** 53, -0),
  fc.string({ maxLength: 4 }),
  fc.constant(null),
)

describe('wire decode under hostile frames', () => {
  it('round-trips any message of JSON values and typed arrays', () => {
    fc.assert(
      fc.property(message, (msg) => {
        expect(decode(encode(msg))).toEqual(msg)
      }),
      { numRuns: RUNS },
    )
  })

  it('answers random bytes with a value or a clean wire: error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (b) => decodesOrRefuses(b)),
      { numRuns: RUNS },
    )
  })

  it('answers a valid frame with flipped, truncated or extended bytes with a value or a clean error', () => {
    const mutation = fc.tuple(
      message,
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
      fc.option(fc.nat(), { nil: undefined }),
      fc.uint8Array({ maxLength: 16 }),
    )
    fc.assert(
      fc.property(mutation, ([msg, flips, cut, tail]) => {
        const b = new Uint8Array(encode(msg))
        for (const [at, v] of flips) if (b.length) b[at % b.length] = v
        const cutAt = cut === undefined ? b.length : cut % (b.length + 1)
        const out = new Uint8Array(cutAt + tail.length)
        out.set(b.subarray(0, cutAt))
        out.set(tail, cutAt)
        decodesOrRefuses(out)
      }),
      { numRuns: RUNS },
    )
  })

  it('refuses array references with a bad kind, offset or length instead of reading past the frame', () => {
    const ref = fc.record({
      $ta: fc.oneof(
        fc.constantFrom('f64', 'f32', 'u8', 'i32', 'constructor', '__proto__', 'toString', 'f16', ''),
        fc.integer(),
      ),
      o: anyNumber,
      n: anyNumber,
    })
    fc.assert(
      fc.property(ref, fc.integer({ min: 0, max: 64 }), (r, body) => {
        const bytes = frame(JSON.stringify({ a: r }), body)
        let out: unknown
        try {
          out = decode(bytes)
        } catch (e) {
          expect((e as Error).message).toMatch(/^wire: /)
          return
        }
        // Accepted: it must be a real typed array lying wholly inside the frame's body.
        const a = (out as { a: unknown }).a
        expect(ArrayBuffer.isView(a)).toBe(true)
        const view = a as Uint8Array
        const o = r.o as number
        expect(Number.isInteger(o) && o >= 0).toBe(true)
        expect(o + view.byteLength).toBeLessThanOrEqual(body)
      }),
      { numRuns: RUNS },
    )
  })

  it('refuses a small frame that names its body many times over, instead of filling memory', () => {
    const refs = Array.from({ length: 1000 }, () => ({ $ta: 'u8', o: 0, n: 4096 }))
    expect(() => decode(frame(JSON.stringify(refs), 4096))).toThrow(/^wire: arrays overlap/)
  })

  it('refuses a header nested too deep to parse with a clean error', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000)
    decodesOrRefuses(frame(deep, 0))
  })

  it('still refuses every input that once broke it (fuzz-regressions/wire.json)', () => {
    for (const c of regressions)
      expect(() => decode(new Uint8Array(c.bytes)), c.found).toThrow(new RegExp(c.error))
  })
})
