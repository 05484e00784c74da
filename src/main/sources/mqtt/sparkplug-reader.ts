import { VigilError } from '../../../shared/errors.ts'
import type { MqttSparkplugSub } from '../../../shared/mqtt-config.ts'
import type { AssetConfig } from '../../../shared/plant.ts'
import {
  BD_SEQ,
  decode,
  int,
  isNumericType,
  metricNumber,
  nextSeq,
  SPB,
  type SparkplugTopic,
  type UMetric,
  unitOf,
} from '../../mqtt/sparkplug.ts'

/** A metric learnt from a birth certificate. */
export interface DiscoveredMetric {
  name: string
  alias?: number
  type: string
  unit?: string
  /** Index of the asset tag it feeds, or -1. */
  tag: number
}

export interface ReaderEvents {
  value(tag: number, t: number, v: number): void
  /** Lost data or the node/device is gone: the source turns stale and checks for a gap. */
  interrupted(reason: string, dead: boolean): void
  requestRebirth(reason: string): void
  problem(key: string, message: string): void
}

/**
 * A host application's view of one Sparkplug B edge node (and optionally one device): births
 * teach metric names, aliases, types and units; data updates them by alias or name; deaths
 * and sequence gaps interrupt the feed; data it cannot place asks the node to rebirth.
 */
export class SparkplugReader {
  readonly metrics = new Map<string, DiscoveredMetric>()
  private readonly byAlias = new Map<number, DiscoveredMetric>()
  private readonly cfg: MqttSparkplugSub
  private readonly asset: AssetConfig
  private readonly ev: ReaderEvents
  private bdSeq: number | undefined
  private expect: number | undefined
  private born = false

  constructor(cfg: MqttSparkplugSub, asset: AssetConfig, ev: ReaderEvents, where: string) {
    for (const id of Object.keys(cfg.metrics))
      if (!asset.tags.some((t) => t.id === id))
        throw new VigilError(
          'config.invalid',
          `${where}.sparkplug.metrics: asset ${asset.id} has no tag "${id}"`,
        )
    this.cfg = cfg
    this.asset = asset
    this.ev = ev
  }

  /** Every message of the node, its devices included, so the sequence check sees them all. */
  subscriptions(): string[] {
    return [`${SPB}/${this.cfg.group}/+/${this.cfg.node}`, `${SPB}/${this.cfg.group}/+/${this.cfg.node}/+`]
  }

  handle(topic: string, st: SparkplugTopic, payload: Buffer, now: number): void {
    if (st.type === 'NCMD' || st.type === 'DCMD') return
    let p
    try {
      p = decode(payload)
    } catch (e) {
      return this.ev.problem(
        `${topic}|decode`,
        `topic ${topic}: not a Sparkplug B payload (${(e as Error).message})`,
      )
    }
    const metrics = p.metrics ?? []
    const ours = st.device === this.cfg.device
    if (st.type === 'NDEATH') {
      const bd = int(metrics.find((m) => m.name === BD_SEQ)?.value)
      // A will left by an older session of the node says nothing about the current one.
      if (bd !== undefined && this.bdSeq !== undefined && bd !== this.bdSeq) return
      this.expect = undefined
      this.born = false
      return this.ev.interrupted(`edge node ${st.node} is offline (NDEATH)`, true)
    }
    const seq = int(p.seq)
    if (st.type === 'NBIRTH') {
      this.bdSeq = int(metrics.find((m) => m.name === BD_SEQ)?.value)
      this.expect = seq === undefined ? undefined : nextSeq(seq)
    } else if (this.expect === undefined) {
      if (!this.born) this.ev.requestRebirth(`${st.type} from ${st.node} before its NBIRTH`)
    } else if (seq !== undefined) {
      if (seq !== this.expect) {
        this.ev.interrupted(`sequence gap from ${st.node}: expected ${this.expect}, got ${seq}`, false)
        this.ev.requestRebirth(`sequence gap (expected ${this.expect}, got ${seq})`)
      }
      this.expect = nextSeq(seq)
    }
    if (!ours) return
    const t0 = int(p.timestamp) ?? now
    const birth = st.type === 'NBIRTH' || st.type === 'DBIRTH'
    if (birth) {
      this.learn(topic, metrics)
      this.born = true
    } else if (st.type === 'DDEATH') {
      this.born = false
      return this.ev.interrupted(`device ${st.device} of ${st.node} is offline (DDEATH)`, true)
    }
    for (const m of metrics) {
      const d = m.name == null ? this.byAlias.get(int(m.alias) ?? -1) : this.metrics.get(m.name)
      if (!d) {
        if (m.name !== BD_SEQ && !m.name?.startsWith('Node Control/'))
          this.ev.requestRebirth(`unknown metric ${m.name ?? `alias ${int(m.alias)}`}`)
        continue
      }
      // In a birth, null means "no value yet", not a missing sample.
      if (d.tag < 0 || (birth && m.value == null)) continue
      if (!isNumericType(d.type)) {
        this.ev.problem(
          `${d.name}|type`,
          `topic ${topic}: metric "${d.name}" (tag ${this.asset.tags[d.tag]!.id}) is ${d.type}, not a number`,
        )
        continue
      }
      this.ev.value(d.tag, int(m.timestamp) ?? t0, metricNumber(m))
    }
  }

  private tagOf(name: string): number {
    const mapped = Object.entries(this.cfg.metrics).find(([, metric]) => metric === name)?.[0]
    const tags = this.asset.tags
    if (mapped !== undefined) return tags.findIndex((t) => t.id === mapped)
    // A tag given an explicit metric takes only that one.
    return tags.findIndex((t) => !(t.id in this.cfg.metrics) && (name === t.id || name.endsWith(`/${t.id}`)))
  }

  private learn(topic: string, metrics: UMetric[]): void {
    this.metrics.clear()
    this.byAlias.clear()
    for (const m of metrics) {
      if (m.name == null || m.name === BD_SEQ || m.name.startsWith('Node Control/')) continue
      const d: DiscoveredMetric = {
        name: m.name,
        alias: int(m.alias),
        type: m.type,
        unit: unitOf(m),
        tag: this.tagOf(m.name),
      }
      this.metrics.set(d.name, d)
      if (d.alias !== undefined) this.byAlias.set(d.alias, d)
      const tag = this.asset.tags[d.tag]
      if (tag && d.unit !== undefined && d.unit !== tag.unit)
        this.ev.problem(
          `${d.name}|unit`,
          `topic ${topic}: metric "${d.name}" is in "${d.unit}" but tag ${tag.id} is configured in "${tag.unit}"`,
        )
    }
    const found = new Set([...this.metrics.values()].map((d) => d.tag))
    const missing = this.asset.tags.filter((_, k) => !found.has(k)).map((t) => t.id)
    if (missing.length)
      this.ev.problem(
        `${topic}|missing`,
        `topic ${topic}: the birth has no metric for tag(s) ${missing.join(', ')}`,
      )
  }
}
