import { describe, expect, it } from 'vitest'
import { parsePlantConfig } from '../engine/plant-config.ts'
import { publishFromUrl } from './publish-flag.ts'

const tags = [{ id: 'Motor_RPM', unit: 'rpm', min: 0, max: 3600 }]
const plant = (source: unknown, publish?: unknown) => ({
  name: 'p',
  assets: [{ id: 'P-101', name: 'pump', class: 'pump', tags, source }],
  ...(publish ? { publish } : {}),
})

describe('MQTT configuration', () => {
  it('reads a Sparkplug source and a publish block with safe defaults: persistent session, QoS 1 in, QoS 0 data out', () => {
    const p = parsePlantConfig(
      plant(
        {
          kind: 'mqtt',
          broker: { url: 'mqtts://broker.plant:8883', tls: { ca: 'ca.pem' } },
          sparkplug: { group: 'Plant1', node: 'edge-01', device: 'P-101' },
        },
        { broker: { url: 'mqtt://broker.plant:1883', username: 'edge', passwordEnv: 'MQTT_PW' } },
      ),
    )
    const src = p.assets[0]!.source
    if (src.kind !== 'mqtt') throw new Error('expected an mqtt source')
    expect(src.broker.clean).toBe(false)
    expect(src.broker.tls?.rejectUnauthorized).toBe(true)
    expect(src.qos).toBe(1)
    expect(src.broker.reconnect).toEqual({ minMs: 500, maxMs: 30_000 })
    expect(p.publish).toMatchObject({ format: 'sparkplug', group: 'Vigil', dataQos: 0, topicPrefix: 'vigil' })
  })

  it('wants exactly one of a JSON mapping or a Sparkplug node, and says so by field', () => {
    expect(() =>
      parsePlantConfig(plant({ kind: 'mqtt', broker: { url: 'mqtt://h' } }), 'plant.yaml'),
    ).toThrow('plant.yaml: assets[0].source.json: give exactly one of "json" (topic mapping) or "sparkplug"')
  })

  it('names the field of a bad broker URL or Sparkplug id', () => {
    expect(() =>
      parsePlantConfig(
        plant({ kind: 'mqtt', broker: { url: 'http://h' }, sparkplug: { group: 'a/b', node: 'n' } }),
        'plant.yaml',
      ),
    ).toThrow(
      /assets\[0\]\.source\.broker\.url: must be an mqtt:\/\/.*\n.*assets\[0\]\.source\.sparkplug\.group: must not contain/,
    )
  })

  it('turns `--mqtt-publish URL` into Sparkplug B with every default, and names the flag when the URL is wrong', () => {
    expect(publishFromUrl('mqtt://user:pw@10.0.0.5:1883')).toMatchObject({
      format: 'sparkplug',
      broker: { url: 'mqtt://user:pw@10.0.0.5:1883', clean: false },
    })
    expect(() => publishFromUrl('10.0.0.5:1883')).toThrow(
      '--mqtt-publish: broker.url: must be an mqtt://, mqtts://, ws:// or wss:// URL',
    )
  })
})
