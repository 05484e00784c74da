import { VigilError } from '../../../shared/errors.ts'
import type { MqttJsonTopic } from '../../../shared/mqtt-config.ts'
import type { AssetConfig } from '../../../shared/plant.ts'

interface Field {
  tag: number
  tagId: string
  field: string
  path: string[]
}

export interface JsonRoute {
  filter: string
  timeField?: string
  timePath?: string[]
  timeScale: number
  fields: Field[]
}

/** Where a message's values go; `problem` gets one sentence naming the topic and the field. */
export interface JsonSink {
  value(tag: number, t: number, v: number): void
  problem(key: string, message: string): void
}

const splitPath = (p: string) => (p === '$' || p === '' ? [] : p.split('.'))

/** Checks a topic mapping against the asset once, at start: unknown tags and bad filters name their field. */
export function compileJsonTopics(cfgs: MqttJsonTopic[], asset: AssetConfig, where: string): JsonRoute[] {
  return cfgs.map((c, i) => {
    const at = `${where}.json[${i}]`
    if (/#./.test(c.topic) || /[^/]\+|\+[^/]|[^/]#/.test(c.topic))
      throw new VigilError('config.invalid', `${at}.topic: "${c.topic}" is not a valid MQTT topic filter`)
    const fields = Object.entries(c.fields).map(([tagId, field]) => {
      const tag = asset.tags.findIndex((t) => t.id === tagId)
      if (tag < 0)
        throw new VigilError('config.invalid', `${at}.fields: asset ${asset.id} has no tag "${tagId}"`)
      return { tag, tagId, field, path: splitPath(field) }
    })
    return {
      filter: c.topic,
      timeField: c.time,
      timePath: c.time === undefined ? undefined : splitPath(c.time),
      timeScale: c.timeUnit === 's' ? 1000 : 1,
      fields,
    }
  })
}

/** MQTT filter matching: "+" is one level, a trailing "#" any number (zero included). */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/')
  const t = topic.split('/')
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true
    if (i >= t.length || (f[i] !== '+' && f[i] !== t[i])) return false
  }
  return f.length === t.length
}

function dig(v: unknown, path: string[]): unknown {
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<string, unknown>)[p]
  }
  return v
}

/** A JSON value as a sample: null is a missing value (NaN), numeric strings are accepted. */
function asNumber(x: unknown): number | undefined {
  if (typeof x === 'number') return x
  if (x === null) return NaN
  if (typeof x === 'boolean') return x ? 1 : 0
  if (typeof x === 'string' && x.trim() !== '' && Number.isFinite(Number(x))) return Number(x)
  return undefined
}

function asTime(x: unknown, scale: number): number | undefined {
  if (typeof x === 'number' && Number.isFinite(x)) return x * scale
  if (typeof x === 'string') {
    const ms = Date.parse(x)
    return Number.isNaN(ms) ? undefined : ms
  }
  return undefined
}

const show = (x: unknown) => (x === undefined ? 'missing' : JSON.stringify(x).slice(0, 40))

/**
 * Reads one message of a route. A field may hold one value or, with an array of times, one
 * value per time (columnar, as Vigil's own JSON publisher writes). A bad field is reported
 * and skipped; the message's other fields still count.
 */
export function readJson(
  route: JsonRoute,
  topic: string,
  payload: Buffer,
  now: number,
  sink: JsonSink,
): void {
  let doc: unknown
  try {
    doc = JSON.parse(payload.toString('utf8'))
  } catch (e) {
    return sink.problem(
      `${route.filter}|json`,
      `topic ${topic}: payload is not JSON (${(e as Error).message})`,
    )
  }
  let times: number[] | null = null
  let t = now
  if (route.timePath) {
    const raw = dig(doc, route.timePath)
    const bad = () =>
      sink.problem(
        `${route.filter}|time`,
        `topic ${topic}: time field "${route.timeField}" is ${show(raw)}, not a timestamp`,
      )
    if (Array.isArray(raw)) {
      times = raw.map((x) => asTime(x, route.timeScale) ?? NaN)
      if (times.some((x) => x !== x)) return bad()
    } else {
      const one = asTime(raw, route.timeScale)
      if (one === undefined) return bad()
      t = one
    }
  }
  // Columnar messages go row by row, so the assembler sees times in order.
  const cols: (readonly [number, unknown[]])[] = []
  for (const f of route.fields) {
    const raw = dig(doc, f.path)
    const bad = (what: string) =>
      sink.problem(
        `${route.filter}|${f.field}`,
        `topic ${topic}: field "${f.field}" (tag ${f.tagId}) ${what}`,
      )
    if (!times) {
      const v = asNumber(raw)
      if (v === undefined) bad(raw === undefined ? 'is missing' : `is ${show(raw)}, not a number`)
      else sink.value(f.tag, t, v)
    } else if (!Array.isArray(raw) || raw.length !== times.length)
      bad(`must be an array of ${times.length} values like time field "${route.timeField}", not ${show(raw)}`)
    else {
      const i = raw.findIndex((x) => asNumber(x) === undefined)
      if (i >= 0) bad(`[${i}] is ${show(raw[i])}, not a number`)
      else cols.push([f.tag, raw])
    }
  }
  if (times)
    for (let i = 0; i < times.length; i++)
      for (const [tag, raw] of cols) sink.value(tag, times[i]!, asNumber(raw[i])!)
}
