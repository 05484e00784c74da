import { describe, expect, it } from 'vitest'
import { OpcuaSource } from '../../../shared/opcua-config.ts'
import type { AssetConfig } from '../../../shared/plant.ts'
import { planItems } from './item-plan.ts'

const asset = {
  id: 'P-101',
  tags: [
    { id: 'Motor_RPM', unit: 'rpm', min: 0, max: 3600 },
    { id: 'Vibration_mm_s', unit: 'mm/s', min: 0, max: 50 },
  ],
} as unknown as AssetConfig
const cfg = (nodes: Record<string, unknown>, extra: object = {}) =>
  OpcuaSource.parse({ kind: 'opcua', endpoint: 'opc.tcp://plc:4840', nodes, ...extra })
const where = 'asset P-101: source'

describe('OPC UA items from the config', () => {
  it('maps nodes to tag indexes with the source defaults, and per-node settings where given', () => {
    const plan = planItems(
      cfg(
        {
          'ns=2;s=Pump.Speed': 'Motor_RPM',
          'ns=2;i=1001': {
            tag: 'Vibration_mm_s',
            samplingIntervalMs: 50,
            deadband: { type: 'absolute', value: 0.1 },
          },
        },
        { samplingIntervalMs: 500, deadband: { type: 'percent', value: 1 } },
      ),
      asset,
      where,
    )
    expect(plan).toEqual([
      {
        nodeId: 'ns=2;s=Pump.Speed',
        tag: 'Motor_RPM',
        k: 0,
        samplingIntervalMs: 500,
        deadband: { type: 'percent', value: 1 },
      },
      {
        nodeId: 'ns=2;i=1001',
        tag: 'Vibration_mm_s',
        k: 1,
        samplingIntervalMs: 50,
        deadband: { type: 'absolute', value: 0.1 },
      },
    ])
  })

  it('refuses a malformed node id, an unknown tag and a tag fed twice, naming the node', () => {
    expect(() => planItems(cfg({ 'Pump.Speed': 'Motor_RPM' }), asset, where)).toThrow(
      'asset P-101: source.nodes["Pump.Speed"]: "Pump.Speed" is not an OPC UA node id',
    )
    expect(() => planItems(cfg({ 'ns=2;s=Flow': 'Flow' }), asset, where)).toThrow(
      'asset P-101: source.nodes["ns=2;s=Flow"]: asset P-101 has no tag "Flow" (its tags: Motor_RPM, Vibration_mm_s)',
    )
    expect(() => planItems(cfg({ 'ns=2;s=A': 'Motor_RPM', 'ns=2;s=B': 'Motor_RPM' }), asset, where)).toThrow(
      'asset P-101: source.nodes["ns=2;s=B"]: tag "Motor_RPM" is already fed by node "ns=2;s=A"',
    )
  })

  it('checks the endpoint, the security and the password field in the schema', () => {
    expect(
      OpcuaSource.safeParse({ kind: 'opcua', endpoint: 'http://plc', nodes: { 'i=1': 'Motor_RPM' } }).success,
    ).toBe(false)
    const withPassword = OpcuaSource.safeParse({
      kind: 'opcua',
      endpoint: 'opc.tcp://plc:4840',
      nodes: { 'i=1': 'Motor_RPM' },
      user: { username: 'op', password: 'plain' },
    })
    expect(withPassword.success).toBe(false)
    const ok = cfg({ 'i=1': 'Motor_RPM' })
    expect(ok).toMatchObject({ securityMode: 'auto', securityPolicy: 'auto', samplingIntervalMs: 1000 })
  })
})
