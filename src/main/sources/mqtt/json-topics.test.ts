import { describe, expect, it } from 'vitest'
import { MqttJsonTopic } from '../../../shared/mqtt-config.ts'
import type { AssetConfig } from '../../../shared/plant.ts'
import { compileJsonTopics, readJson, topicMatches } from './json-topics.ts'

const asset = {
  id: 'P-101',
  tags: [
    { id: 'Motor_RPM', unit: 'rpm', min: 0, max: 3600 },
    { id: 'Bearing_Temperature_C', unit: '°C', min: -20, max: 150 },
  ],
} as AssetConfig

function run(cfg: unknown, topic: string, payload: string, now = 5000) {
  const [route] = compileJsonTopics([MqttJsonTopic.parse(cfg)], asset, 'asset P-101: source')
  const values: [number, number, number][] = []
  const problems: string[] = []
  readJson(route!, topic, Buffer.from(payload), now, {
    value: (k, t, v) => values.push([k, t, v]),
    problem: (_key, msg) => problems.push(msg),
  })
  return { values, problems }
}

describe('JSON topic mapping', () => {
  it('matches MQTT filters level by level', () => {
    expect(topicMatches('plant/+/telemetry', 'plant/p101/telemetry')).toBe(true)
    expect(topicMatches('plant/+/telemetry', 'plant/p101/x/telemetry')).toBe(false)
    expect(topicMatches('plant/#', 'plant')).toBe(true)
    expect(topicMatches('plant/#', 'plant/a/b')).toBe(true)
    expect(topicMatches('plant/a', 'plant/a/b')).toBe(false)
  })

  it('reads nested fields and a timestamp in seconds into the asset tag order', () => {
    const cfg = {
      topic: 'plant/+/telemetry',
      time: 'meta.ts',
      timeUnit: 's',
      fields: { Bearing_Temperature_C: 'bearing.temp', Motor_RPM: 'rpm' },
    }
    const { values, problems } = run(
      cfg,
      'plant/p101/telemetry',
      '{"meta":{"ts":1700000000},"rpm":"1480.5","bearing":{"temp":61.2}}',
    )
    expect(problems).toEqual([])
    expect(values).toEqual([
      [1, 1_700_000_000_000, 61.2],
      [0, 1_700_000_000_000, 1480.5],
    ])
  })

  it('takes the arrival time without a time field, the whole payload with "$", and ISO timestamps', () => {
    expect(run({ topic: 'p/rpm', fields: { Motor_RPM: '$' } }, 'p/rpm', '1490', 42).values).toEqual([
      [0, 42, 1490],
    ])
    const iso = run(
      { topic: 'p', time: 'at', fields: { Motor_RPM: 'v' } },
      'p',
      '{"at":"2024-01-02T03:04:05.000Z","v":1}',
    )
    expect(iso.values[0]![1]).toBe(Date.parse('2024-01-02T03:04:05.000Z'))
  })

  it('reads columnar arrays row by row, as Vigil publishes them', () => {
    const cfg = {
      topic: 'vigil/P-101/samples',
      time: 't',
      fields: { Motor_RPM: 'values.Motor_RPM', Bearing_Temperature_C: 'values.Bearing_Temperature_C' },
    }
    const { values } = run(
      cfg,
      'vigil/P-101/samples',
      '{"t":[1,2],"values":{"Motor_RPM":[10,11],"Bearing_Temperature_C":[null,21]}}',
    )
    expect(values).toEqual([
      [0, 1, 10],
      [1, 1, NaN],
      [0, 2, 11],
      [1, 2, 21],
    ])
  })

  it('names the topic and field of a bad value and keeps the good fields of the message', () => {
    const cfg = { topic: 'plant/p101', fields: { Motor_RPM: 'rpm', Bearing_Temperature_C: 'bearing.temp' } }
    const { values, problems } = run(cfg, 'plant/p101', '{"rpm":"fast","bearing":{"temp":60}}')
    expect(values).toEqual([[1, 5000, 60]])
    expect(problems).toEqual(['topic plant/p101: field "rpm" (tag Motor_RPM) is "fast", not a number'])
    const missing = run(cfg, 'plant/p101', '{"rpm":1}')
    expect(missing.problems).toEqual([
      'topic plant/p101: field "bearing.temp" (tag Bearing_Temperature_C) is missing',
    ])
  })

  it('reports a payload that is not JSON, naming the topic', () => {
    const { values, problems } = run(
      { topic: 'plant/#', fields: { Motor_RPM: 'rpm' } },
      'plant/p101',
      '{rpm: 1',
    )
    expect(values).toEqual([])
    expect(problems[0]).toMatch(/^topic plant\/p101: payload is not JSON \(/)
  })

  it('refuses at start a mapping to a tag the asset does not have, or a bad filter', () => {
    expect(() =>
      compileJsonTopics(
        [MqttJsonTopic.parse({ topic: 'a', fields: { Speed: 'v' } })],
        asset,
        'asset P-101: source',
      ),
    ).toThrow('asset P-101: source.json[0].fields: asset P-101 has no tag "Speed"')
    expect(() =>
      compileJsonTopics([MqttJsonTopic.parse({ topic: 'a/#/b', fields: { Motor_RPM: 'v' } })], asset, 'src'),
    ).toThrow('src.json[0].topic: "a/#/b" is not a valid MQTT topic filter')
  })
})
