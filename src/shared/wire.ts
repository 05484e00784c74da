/*
 * The WebSocket wire: one binary frame per message. Typed arrays travel as raw bytes after a
 * JSON header instead of as JSON numbers, which would cost ~10x the bytes and a parse per
 * value. Layout: u32 header length | header JSON (UTF-8) | padding to 8 | array bytes...
 * In the header a typed array is {"$ta": kind, "o": byte offset, "n": length}.
 */

const kinds = { f64: Float64Array, f32: Float32Array, u8: Uint8Array, i32: Int32Array } as const
type Kind = keyof typeof kinds
type Typed = Float64Array | Float32Array | Uint8Array | Int32Array

function kindOf(v: unknown): Kind | null {
  if (v instanceof Float64Array) return 'f64'
  if (v instanceof Float32Array) return 'f32'
  if (v instanceof Uint8Array) return 'u8'
  if (v instanceof Int32Array) return 'i32'
  return null
}

const align8 = (n: number) => (n + 7) & ~7

export function encode(msg: unknown): ArrayBuffer {
  const arrays: Typed[] = []
  let offset = 0
  const header = JSON.stringify(msg, function (_key, value: unknown) {
    const kind = kindOf(value)
    if (!kind) return value
    const a = value as Typed
    const ref = { $ta: kind, o: offset, n: a.length }
    arrays.push(a)
    offset = align8(offset + a.byteLength)
    return ref
  })
  const head = new TextEncoder().encode(header)
  const start = align8(4 + head.length)
  const buf = new ArrayBuffer(start + offset)
  new DataView(buf).setUint32(0, head.length, true)
  new Uint8Array(buf, 4, head.length).set(head)
  let o = start
  for (const a of arrays) {
    new Uint8Array(buf, o, a.byteLength).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength))
    o = align8(o + a.byteLength)
  }
  return buf
}

const isIndex = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0

/**
 * The frame's message. A frame comes from whoever holds the token, or a buggy client, so any
 * bytes get either a value or an Error starting "wire: ": a typed array is built only from a
 * known kind and a whole-number offset and length that lie inside the frame.
 */
export function decode(data: ArrayBuffer | Uint8Array): unknown {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data)
  if (bytes.byteLength < 4) throw new Error('wire: frame shorter than its header length')
  const len = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true)
  if (4 + len > bytes.byteLength) throw new Error('wire: header longer than the frame')
  const start = align8(4 + len)
  const text = new TextDecoder().decode(bytes.subarray(4, 4 + len))
  // The encoder never lets two arrays share bytes; refusing more array bytes than the frame
  // holds keeps a small frame from naming its body a thousand times over and filling memory.
  let budget = Math.max(0, bytes.byteLength - start)
  const revive = (_key: string, value: unknown) => {
    if (!value || typeof value !== 'object' || !('$ta' in value)) return value
    const ref = value as { $ta: unknown; o: unknown; n: unknown }
    const kind = ref.$ta
    if (typeof kind !== 'string' || !Object.hasOwn(kinds, kind))
      throw new Error(`wire: unknown array kind "${String(kind)}"`)
    if (!isIndex(ref.o) || !isIndex(ref.n))
      throw new Error('wire: array offset and length must be whole numbers')
    const Ctor = kinds[kind as Kind]
    const byteLen = ref.n * Ctor.BYTES_PER_ELEMENT
    if (start + ref.o + byteLen > bytes.byteLength) throw new Error('wire: array runs past the frame')
    budget -= byteLen
    if (budget < 0) throw new Error('wire: arrays overlap (more array bytes than the frame holds)')
    // Copy so the array is aligned and owns its memory whatever the frame's offset was.
    const copy = new Uint8Array(byteLen)
    copy.set(bytes.subarray(start + ref.o, start + ref.o + byteLen))
    return new Ctor(copy.buffer)
  }
  try {
    return JSON.parse(text, revive)
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e)
    throw new Error(message.startsWith('wire: ') ? message : `wire: header is not JSON: ${message}`, {
      cause: e,
    })
  }
}

/**
 * Live messages of many assets in one frame: the server gathers what the engine publishes
 * during one animation frame of the renderer's (~16 ms) and sends it as {live: [...]}, so a
 * hundred assets cost tens of frames a second instead of thousands. A frame with `topic` is
 * still one message; answers carry `id`.
 */
export interface LiveFrame {
  live: unknown[]
}

export const liveFrame = (messages: unknown[]): LiveFrame => ({ live: messages })

/** The messages of a decoded frame: the batch's, the single message's, or none (an answer). */
export function liveMessages(msg: unknown): unknown[] {
  if (!msg || typeof msg !== 'object') return []
  if ('live' in msg) {
    const live = (msg as LiveFrame).live
    if (!Array.isArray(live)) throw new Error('wire: a live frame\'s "live" must be an array')
    return live.filter((m) => !!m && typeof m === 'object' && 'topic' in m)
  }
  return 'topic' in msg ? [msg] : []
}
