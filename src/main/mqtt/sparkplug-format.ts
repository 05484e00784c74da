import type { MqttPublish } from '../../shared/mqtt-config.ts'
import type { AssetConfig, PlantConfig } from '../../shared/plant.ts'
import type { PublishFormat } from './publish-format.ts'
import {
  BD_SEQ,
  decode,
  encode,
  nextSeq,
  REBIRTH,
  topicOf,
  type UMetric,
  type UPayload,
} from './sparkplug.ts'

/** Model output metrics of a device, by model id. */
const modelMetrics = (id: string) => [`Models/${id}/Score`, `Models/${id}/Anomaly`, `Models/${id}/Threshold`]

interface Device {
  asset: AssetConfig
  /** Alias of each tag, in the asset's tag order; model metrics follow. */
  alias: number[]
  modelAlias: Map<string, [score: number, anomaly: number, threshold: number]>
  last: Float64Array
  lastT: number
  lastScore: Map<string, [t: number, score: number, anomaly: number, threshold: number]>
}

/**
 * Sparkplug B edge node: the plant is one node, each asset one device. Births carry every
 * metric with its name, alias, type and engineering range; data carries aliases only, one
 * metric per value with its sample time, so a batch of n rows is one DDATA. Quality flags
 * other than GOOD ride along as the property "vigilQuality" (bits of shared/quality.ts).
 */
export function sparkplugFormat(cfg: MqttPublish, plant: PlantConfig, node: string): PublishFormat {
  const group = cfg.group
  let bdSeq = -1
  let seq = 0
  let alias = 1
  const devices = new Map<string, Device>()
  for (const asset of plant.assets) {
    devices.set(asset.id, {
      asset,
      alias: asset.tags.map(() => alias++),
      modelAlias: new Map(asset.models.map((m) => [m, [alias++, alias++, alias++]] as const)),
      last: new Float64Array(asset.tags.length).fill(NaN),
      lastT: Date.now(),
      lastScore: new Map(),
    })
  }
  const send = (type: 'NBIRTH' | 'DBIRTH' | 'DDATA', p: UPayload, device?: string) => {
    p.seq = seq
    seq = nextSeq(seq)
    return { topic: topicOf(group, type, node, device), payload: encode(p) }
  }
  const num = (x: number) => (x === x ? x : null)

  const dbirth = (d: Device) => {
    const metrics: UMetric[] = d.asset.tags.map((tag, k) => ({
      name: tag.id,
      alias: d.alias[k],
      type: 'Double',
      value: num(d.last[k]!),
      timestamp: d.lastT,
      properties: {
        engUnit: { type: 'String', value: tag.unit },
        engLow: { type: 'Double', value: tag.min },
        engHigh: { type: 'Double', value: tag.max },
        ...(tag.name ? { displayName: { type: 'String', value: tag.name } } : {}),
      },
    }))
    for (const [model, [a1, a2, a3]] of d.modelAlias) {
      const [t, score, anomaly, threshold] = d.lastScore.get(model) ?? [d.lastT, NaN, 0, NaN]
      const [n1, n2, n3] = modelMetrics(model)
      metrics.push(
        { name: n1, alias: a1, type: 'Double', value: num(score), timestamp: t },
        { name: n2, alias: a2, type: 'Boolean', value: anomaly === 1, timestamp: t },
        { name: n3, alias: a3, type: 'Double', value: num(threshold), timestamp: t },
      )
    }
    return send('DBIRTH', { timestamp: Date.now(), metrics }, d.asset.id)
  }

  return {
    will() {
      bdSeq = (bdSeq + 1) & 0xff
      const payload = encode({
        timestamp: Date.now(),
        metrics: [{ name: BD_SEQ, type: 'Int64', value: bdSeq }],
      })
      return { topic: topicOf(group, 'NDEATH', node), payload }
    },
    births() {
      seq = 0
      const nbirth = send('NBIRTH', {
        timestamp: Date.now(),
        metrics: [
          { name: BD_SEQ, type: 'Int64', value: bdSeq },
          { name: REBIRTH, type: 'Boolean', value: false },
        ],
      })
      return [nbirth, ...[...devices.values()].map(dbirth)]
    },
    samples(b) {
      const d = devices.get(b.assetId)
      const n = b.t.length
      if (!d || n === 0) return null
      const metrics: UMetric[] = []
      for (let i = 0; i < n; i++)
        for (let k = 0; k < d.alias.length; k++) {
          const m: UMetric = {
            alias: d.alias[k],
            timestamp: b.t[i],
            type: 'Double',
            value: num(b.values[k]![i]!),
          }
          const q = b.quality?.[k]![i] ?? 0
          if (q !== 0) m.properties = { vigilQuality: { type: 'Int32', value: q } }
          metrics.push(m)
        }
      for (let k = 0; k < d.last.length; k++) d.last[k] = b.values[k]![n - 1]!
      d.lastT = b.t[n - 1]!
      return send('DDATA', { timestamp: Date.now(), metrics }, d.asset.id)
    },
    scores(s) {
      const d = devices.get(s.assetId)
      const a = d?.modelAlias.get(s.modelId)
      const n = s.t.length
      if (!d || !a || n === 0) return null
      const metrics: UMetric[] = []
      for (let w = 0; w < n; w++)
        metrics.push(
          { alias: a[0], timestamp: s.t[w], type: 'Double', value: num(s.score[w]!) },
          { alias: a[1], timestamp: s.t[w], type: 'Boolean', value: s.anomaly[w] === 1 },
        )
      metrics.push({ alias: a[2], timestamp: s.t[n - 1], type: 'Double', value: s.threshold })
      d.lastScore.set(s.modelId, [s.t[n - 1]!, s.score[n - 1]!, s.anomaly[n - 1]!, s.threshold])
      return send('DDATA', { timestamp: Date.now(), metrics }, d.asset.id)
    },
    // A predictor is one of the asset's models, so its birth already declares its three metrics:
    // Score carries the main output (life, P(defect); null for a policy), Anomaly the flag.
    predictions(p) {
      const d = devices.get(p.assetId)
      const a = d?.modelAlias.get(p.modelId)
      const n = p.t.length
      if (!d || !a || n === 0) return null
      const metrics: UMetric[] = []
      for (let i = 0; i < n; i++)
        metrics.push(
          { alias: a[0], timestamp: p.t[i], type: 'Double', value: num(p.value[i]!) },
          { alias: a[1], timestamp: p.t[i], type: 'Boolean', value: p.flagged[i] === 1 },
        )
      metrics.push({ alias: a[2], timestamp: p.t[n - 1], type: 'Double', value: p.threshold })
      d.lastScore.set(p.modelId, [p.t[n - 1]!, p.value[n - 1]!, p.flagged[n - 1]!, p.threshold])
      return send('DDATA', { timestamp: Date.now(), metrics }, d.asset.id)
    },
    commandTopics: [topicOf(group, 'NCMD', node), `${topicOf(group, 'DCMD', node)}/+`],
    isRebirth(_topic, payload) {
      try {
        return (decode(payload).metrics ?? []).some((m) => m.name === REBIRTH && m.value === true)
      } catch {
        return false
      }
    },
  }
}
