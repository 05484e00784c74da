import type { MqttPublish } from '../../shared/mqtt-config.ts'
import type { PlantConfig } from '../../shared/plant.ts'
import { jsonColumn, type PublishFormat } from './publish-format.ts'

/**
 * Plain JSON, one message per batch, columnar like the engine's batches:
 *   <prefix>/<asset>/samples  {"t":[..], "values":{"<tag>":[..]}, "quality":{"<tag>":[..]}}
 *   <prefix>/<asset>/scores   {"model":"pump-ae", "version", "threshold", "t":[..], "score":[..], "anomaly":[..]}
 *   <prefix>/<asset>/predictions {"model":"cmapss-rul", "version", "kind":"rul"|"defect"|"policy", "threshold",
 *                             "t":[..], "value":[..], "flagged":[..], and what the kind has: "spread":[..] (rul),
 *                             "confidence":[..], "unit":[..], "members":{name:[..]} (defect),
 *                             "actions":{"<tag>":[..]} (policy: the advised setpoints)
 *   <prefix>/<node>/status    {"online":true|false}, retained, false set by the broker as our will
 * A Vigil MQTT source reads the samples back with time "t" and fields "values.<tag>".
 */
export function jsonFormat(cfg: MqttPublish, plant: PlantConfig, node: string): PublishFormat {
  const prefix = cfg.topicPrefix
  const tagsOf = new Map(plant.assets.map((a) => [a.id, a.tags.map((t) => t.id)]))
  const status = `${prefix}/${node}/status`
  return {
    will: () => ({ topic: status, payload: JSON.stringify({ online: false }), retain: true }),
    births: () => [
      { topic: status, payload: JSON.stringify({ online: true, at: Date.now() }), retain: true },
    ],
    samples(b) {
      const tags = tagsOf.get(b.assetId)
      if (!tags) return null
      const values: Record<string, (number | null)[]> = {}
      const quality: Record<string, number[]> = {}
      tags.forEach((id, k) => {
        values[id] = jsonColumn(b.values[k]!)
        if (b.quality) quality[id] = Array.from(b.quality[k]!)
      })
      return {
        topic: `${prefix}/${b.assetId}/samples`,
        payload: JSON.stringify({ t: Array.from(b.t), values, quality }),
      }
    },
    scores(s) {
      return {
        topic: `${prefix}/${s.assetId}/scores`,
        payload: JSON.stringify({
          model: s.modelId,
          version: s.modelVersion,
          threshold: s.threshold,
          t: Array.from(s.t),
          score: jsonColumn(s.score),
          anomaly: Array.from(s.anomaly),
        }),
      }
    },
    predictions(p) {
      const extra: Record<string, unknown> = {}
      if (p.spread) extra.spread = jsonColumn(p.spread)
      if (p.confidence) extra.confidence = jsonColumn(p.confidence)
      if (p.unit) extra.unit = jsonColumn(p.unit)
      if (p.members)
        extra.members = Object.fromEntries(Object.entries(p.members).map(([k, v]) => [k, jsonColumn(v)]))
      if (p.actions && p.actionTags) {
        const tags = p.actionTags
        const at = (k: number) => jsonColumn(Array.from(p.t, (_, i) => p.actions![i * tags.length + k]!))
        extra.actions = Object.fromEntries(tags.map((tag, k) => [tag, at(k)]))
      }
      return {
        topic: `${prefix}/${p.assetId}/predictions`,
        payload: JSON.stringify({
          model: p.modelId,
          version: p.modelVersion,
          kind: p.kind,
          threshold: p.threshold,
          t: Array.from(p.t),
          value: jsonColumn(p.value),
          flagged: Array.from(p.flagged),
          ...extra,
        }),
      }
    },
    commandTopics: [],
    isRebirth: () => false,
  }
}
