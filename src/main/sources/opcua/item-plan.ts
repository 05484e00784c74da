import { VigilError } from '../../../shared/errors.ts'
import type { OpcuaSource } from '../../../shared/opcua-config.ts'
import type { AssetConfig } from '../../../shared/plant.ts'
import type { ItemPlan } from './subscription.ts'

const NODE_ID = /^(ns=\d+;|nsu=[^;]+;)?[isgb]=.+$/s

/**
 * The monitored items of a source config, checked against the asset before anything
 * connects: every node id well formed, every tag one of the asset's, no tag fed by two
 * nodes. Each error names the field: `asset P-101: source.nodes["ns=1;s=X"]: ...`.
 */
export function planItems(cfg: OpcuaSource, asset: AssetConfig, where: string): ItemPlan[] {
  const index = new Map(asset.tags.map((t, k) => [t.id, k]))
  const fedBy = new Map<string, string>()
  return Object.entries(cfg.nodes).map(([nodeId, item]) => {
    const field = `${where}.nodes[${JSON.stringify(nodeId)}]`
    if (!NODE_ID.test(nodeId))
      throw new VigilError(
        'config.invalid',
        `${field}: "${nodeId}" is not an OPC UA node id (e.g. ns=2;s=Line1.Pump.Speed or ns=3;i=1001)`,
      )
    const o = typeof item === 'string' ? { tag: item } : item
    const k = index.get(o.tag)
    if (k === undefined)
      throw new VigilError(
        'config.invalid',
        `${field}: asset ${asset.id} has no tag "${o.tag}" (its tags: ${asset.tags.map((t) => t.id).join(', ')})`,
      )
    const other = fedBy.get(o.tag)
    if (other !== undefined)
      throw new VigilError('config.invalid', `${field}: tag "${o.tag}" is already fed by node "${other}"`)
    fedBy.set(o.tag, nodeId)
    const deadband =
      'deadband' in o && o.deadband ? o.deadband : (cfg.deadband as ItemPlan['deadband'] | undefined)
    return {
      nodeId,
      tag: o.tag,
      k,
      samplingIntervalMs:
        ('samplingIntervalMs' in o ? o.samplingIntervalMs : undefined) ?? cfg.samplingIntervalMs,
      ...(deadband ? { deadband } : {}),
    }
  })
}
