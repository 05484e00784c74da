import { get } from 'sparkplug-payload'
import type { UMetric, UPayload } from 'sparkplug-payload/lib/sparkplugbpayload.js'

export type { UMetric, UPayload }

/** The Sparkplug B topic namespace: spBv1.0/<group>/<type>/<edge node>[/<device>]. */
export const SPB = 'spBv1.0'
export const REBIRTH = 'Node Control/Rebirth'
export const BD_SEQ = 'bdSeq'

const codec = get(SPB)!

export const MessageTypes = [
  'NBIRTH',
  'NDEATH',
  'DBIRTH',
  'DDEATH',
  'NDATA',
  'DDATA',
  'NCMD',
  'DCMD',
] as const
export type MessageType = (typeof MessageTypes)[number]

export interface SparkplugTopic {
  group: string
  type: MessageType
  node: string
  device?: string
}

export function topicOf(group: string, type: MessageType, node: string, device?: string): string {
  return device === undefined
    ? `${SPB}/${group}/${type}/${node}`
    : `${SPB}/${group}/${type}/${node}/${device}`
}

/** null for anything outside spBv1.0 (STATE messages of host applications included). */
export function parseTopic(topic: string): SparkplugTopic | null {
  const p = topic.split('/')
  if (p[0] !== SPB || p.length < 4 || p.length > 5) return null
  const type = p[2] as MessageType
  if (!MessageTypes.includes(type)) return null
  return { group: p[1]!, type, node: p[3]!, device: p[4] }
}

export function encode(p: UPayload): Buffer {
  const u8 = codec.encodePayload(p)
  return Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength)
}

/** Throws on a payload that is not a Sparkplug B protobuf. */
export function decode(buf: Uint8Array): UPayload {
  return codec.decodePayload(buf)
}

/** protobufjs gives uint64 fields (seq, alias, timestamps) as Long objects. */
export function int(v: unknown): number | undefined {
  if (typeof v === 'number') return v
  if (v !== null && typeof v === 'object' && 'toNumber' in v && typeof v.toNumber === 'function')
    return (v as { toNumber(): number }).toNumber()
  return undefined
}

const numericTypes = new Set([
  'Int8',
  'Int16',
  'Int32',
  'Int64',
  'UInt8',
  'UInt16',
  'UInt32',
  'UInt64',
  'Float',
  'Double',
  'Boolean',
  'DateTime',
])

/** Whether a metric of this Sparkplug type can become a tag's value. */
export const isNumericType = (type: string | undefined): boolean =>
  type !== undefined && numericTypes.has(type)

/** A numeric metric's value as a number: booleans are 0/1, a null (isNull) value is NaN. */
export function metricNumber(m: UMetric): number {
  const v = m.value
  if (v === null || v === undefined) return NaN
  if (typeof v === 'number') return v
  if (typeof v === 'boolean') return v ? 1 : 0
  return int(v) ?? NaN
}

/** Engineering unit from a metric's properties, under the names Ignition and Tahu use. */
export function unitOf(m: UMetric): string | undefined {
  const props = m.properties
  if (!props) return undefined
  for (const [k, p] of Object.entries(props))
    if (/^(eng_?units?|units?)$/i.test(k) && typeof p.value === 'string') return p.value
  return undefined
}

/** Sparkplug sequence numbers run 0..255 and wrap. */
export const nextSeq = (seq: number): number => (seq + 1) & 0xff

/** The NCMD a host application sends to make an edge node publish its births again. */
export function rebirthRequest(): Buffer {
  return encode({ timestamp: Date.now(), metrics: [{ name: REBIRTH, type: 'Boolean', value: true }] })
}
