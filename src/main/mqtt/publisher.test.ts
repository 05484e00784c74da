import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AlarmStats, AlarmView } from '../../shared/alarms.ts'
import { MqttPublish } from '../../shared/mqtt-config.ts'
import { PlantConfig } from '../../shared/plant.ts'
import type { SampleBatch, ScoreBatch } from '../../shared/samples.ts'
import { startMosquitto, type Mosquitto } from './mosquitto.ts'
import { startMqttPublisher, type MqttPublisher } from './publisher.ts'
import { decode, encode, int, parseTopic, REBIRTH, topicOf, unitOf, type UPayload } from './sparkplug.ts'
import { rawClient, sleep, until } from './test-helpers.ts'

const plant = PlantConfig.parse({
  name: 'Test plant',
  assets: [
    {
      id: 'P-101',
      name: 'pump',
      class: 'pump',
      source: { kind: 'simulator', model: 'pump' },
      models: ['pump-ae'],
      tags: [
        { id: 'Motor_RPM', unit: 'rpm', min: 0, max: 3600 },
        { id: 'Bearing_Temperature_C', unit: '°C', min: -20, max: 150 },
      ],
    },
  ],
})

let broker: Mosquitto
const cleanup: (() => Promise<unknown>)[] = []
beforeAll(async () => {
  broker = await startMosquitto({ persistence: true })
})
afterAll(async () => {
  for (const c of cleanup.reverse()) await c()
  await broker?.dispose()
})

function publisher(cfg: Record<string, unknown>): MqttPublisher {
  const p = startMqttPublisher(
    MqttPublish.parse({
      group: 'G',
      node: 'edge',
      ...cfg,
      broker: { url: broker.url, reconnect: { minMs: 100, maxMs: 400 }, ...(cfg.broker as object) },
    }),
    plant,
  )
  cleanup.push(() => p.stop())
  return p
}
async function listen(
  topic: string,
  opts: { clientId?: string; clean?: boolean; reconnectPeriod?: number } = {},
) {
  const got: { topic: string; payload: Buffer }[] = []
  const c = await rawClient(broker.url, opts, (t, payload) => got.push({ topic: t, payload }))
  cleanup.push(() => c.endAsync(true))
  await c.subscribeAsync(topic, { qos: 1 })
  return { c, got }
}
const batch = (t0: number, n: number): SampleBatch & { quality: Uint8Array[] } => ({
  assetId: 'P-101',
  t: Float64Array.from({ length: n }, (_, i) => t0 + i * 1000),
  values: [
    Float64Array.from({ length: n }, (_, i) => 1480 + i),
    Float64Array.from({ length: n }, (_, i) => (i === 1 ? NaN : 60 + i)),
  ],
  quality: [new Uint8Array(n), Uint8Array.from({ length: n }, (_, i) => (i === 1 ? 8 : 0))],
})
const scores = (t: number[], anomaly: number[]): ScoreBatch => ({
  assetId: 'P-101',
  modelId: 'pump-ae',
  modelVersion: '1',
  tags: ['Motor_RPM', 'Bearing_Temperature_C'],
  threshold: 0.5,
  t: Float64Array.from(t),
  score: Float64Array.from(anomaly, (a) => (a ? 0.9 : 0.1)),
  anomaly: Uint8Array.from(anomaly),
  contrib: new Float64Array(t.length * 2),
  sensorState: new Uint8Array(t.length * 2),
  latencyMs: 1,
})

describe('MQTT publisher, Sparkplug B', () => {
  it('publishes NBIRTH and DBIRTH, then one DDATA per batch with consecutive sequence numbers', async () => {
    const { got } = await listen('spBv1.0/G/#')
    const p = publisher({ node: 'edge-a' })
    await until(() => got.length >= 2, 5000, 'the births')
    p.live({ topic: 'samples', batch: batch(1000, 3) })
    p.live({ topic: 'scores', batch: scores([3000], [0]) })
    await until(() => got.length >= 4, 5000, 'two DDATA')
    const msgs = got.map((m) => ({ ...parseTopic(m.topic)!, p: decode(m.payload) as UPayload }))
    expect(msgs.map((m) => `${m.type}/${m.device ?? ''}`)).toEqual([
      'NBIRTH/',
      'DBIRTH/P-101',
      'DDATA/P-101',
      'DDATA/P-101',
    ])
    expect(msgs.map((m) => int(m.p.seq))).toEqual([0, 1, 2, 3])
    const birth = msgs[1]!.p.metrics!
    expect(birth.map((m) => m.name)).toEqual([
      'Motor_RPM',
      'Bearing_Temperature_C',
      'Models/pump-ae/Score',
      'Models/pump-ae/Anomaly',
      'Models/pump-ae/Threshold',
    ])
    expect(birth.map(unitOf).slice(0, 2)).toEqual(['rpm', '°C'])
    const alias = new Map(birth.map((m) => [int(m.alias)!, m.name!]))
    const rows = msgs[2]!.p.metrics!.map((m) => [alias.get(int(m.alias)!), int(m.timestamp), m.value])
    expect(rows).toEqual([
      ['Motor_RPM', 1000, 1480],
      ['Bearing_Temperature_C', 1000, 60],
      ['Motor_RPM', 2000, 1481],
      ['Bearing_Temperature_C', 2000, null],
      ['Motor_RPM', 3000, 1482],
      ['Bearing_Temperature_C', 3000, 62],
    ])
    expect(msgs[2]!.p.metrics![3]!.properties?.vigilQuality?.value).toBe(8)
  })

  it('publishes its births again when a host application asks with Node Control/Rebirth', async () => {
    const { c, got } = await listen('spBv1.0/G/+/edge-b/#')
    const p = publisher({ node: 'edge-b' })
    await until(() => got.length >= 2, 5000, 'the births')
    p.live({ topic: 'samples', batch: batch(1000, 1) })
    await until(() => got.length >= 3, 5000, 'a DDATA')
    await c.publishAsync(
      topicOf('G', 'NCMD', 'edge-b'),
      encode({ timestamp: 1, metrics: [{ name: REBIRTH, type: 'Boolean', value: true }] }),
    )
    await until(() => got.filter((m) => m.topic.includes('BIRTH')).length >= 4, 5000, 'the rebirth')
    const reborn = got.slice(4).map((m) => decode(m.payload))
    expect(int(reborn[0]!.seq)).toBe(0)
    // The device birth carries the last values, so a late host sees the current state at once.
    expect(reborn[1]!.metrics![0]!.value).toBe(1480)
  })

  it('says NDEATH with the bdSeq of its birth when it stops', async () => {
    const { got } = await listen('spBv1.0/G/+/edge-c')
    const p = publisher({ node: 'edge-c' })
    await until(() => got.length >= 1, 5000, 'the NBIRTH')
    await p.stop()
    await until(() => got.length >= 2, 5000, 'the NDEATH')
    const [birth, death] = got.map((m) => decode(m.payload))
    expect(parseTopic(got[1]!.topic)!.type).toBe('NDEATH')
    const bd = (x: UPayload) => int(x.metrics!.find((m) => m.name === 'bdSeq')!.value)
    expect(bd(death!)).toBe(bd(birth!))
  })
})

describe('MQTT publisher, events at QoS 1', () => {
  it('publishes each anomaly state change once, numbered', async () => {
    const { got } = await listen('vigil/+/events')
    const p = publisher({ node: 'edge-d', format: 'json', samples: false, scores: false })
    await until(() => p.stats().connected, 5000, 'the connection')
    p.live({ topic: 'scores', batch: scores([1, 2, 3, 4, 5], [0, 1, 1, 0, 0]) })
    await until(() => got.length >= 2, 5000, 'two events')
    await sleep(100)
    const events = got.map((m) => JSON.parse(m.payload.toString()))
    expect(events.map((e) => [e.type, e.assetId, e.modelId, e.t, e.state, e.n])).toEqual([
      ['anomaly', 'P-101', 'pump-ae', 2, 'ANOMALY', 1],
      ['anomaly', 'P-101', 'pump-ae', 4, 'NORMAL', 2],
    ])
  })

  it('publishes each alarm transition and maintenance event the hub reports', async () => {
    const { got } = await listen('vigil/+/events')
    const p = publisher({ node: 'edge-h', format: 'json', samples: false, scores: false })
    await until(() => p.stats().connected, 5000, 'the connection')
    const alarm: AlarmView = {
      id: 'P-101/Bearing_Temperature_C/HH',
      assetId: 'P-101',
      tag: 'Bearing_Temperature_C',
      kind: 'HH',
      priority: 'critical',
      state: 'unack',
      message: 'Bearing temperature high high: 91.2 °C > 85 °C',
      activeSince: 5000,
      changedAt: 5000,
      value: 91.2,
      limit: 85,
      firstOut: true,
      chattering: false,
      shelved: null,
      outOfService: null,
      lastAck: null,
    }
    const stats = {} as AlarmStats
    p.live({ topic: 'alarms', alarms: [alarm], maintenance: [], stats })
    p.live({
      topic: 'alarms',
      alarms: [{ ...alarm, state: 'acked', changedAt: 6000 }],
      maintenance: [],
      stats,
    })
    await until(() => got.length >= 2, 5000, 'two alarm events')
    const events = got.map((m) => JSON.parse(m.payload.toString()))
    expect(events.map((e) => [e.type, e.id, e.state, e.priority, e.t, e.n])).toEqual([
      ['alarm', alarm.id, 'unack', 'critical', 5000, 1],
      ['alarm', alarm.id, 'acked', 'critical', 6000, 2],
    ])
    expect(got[0]!.topic).toBe('vigil/P-101/events')
  })

  it('keeps the events a subscriber missed while away, for its persistent session', async () => {
    const away = await listen('vigil/+/events', { clientId: 'workstation-1', clean: false })
    await away.c.endAsync()
    const p = publisher({ node: 'edge-e', format: 'json' })
    await until(() => p.stats().connected, 5000, 'the connection')
    for (let i = 0; i < 20; i++) p.event({ type: 'alarm', assetId: 'P-101', t: i })
    await until(() => p.stats().eventsAcked === 20, 5000, 'the broker to take all 20')
    const back = await listen('vigil/+/events', { clientId: 'workstation-1', clean: false })
    await until(() => back.got.length >= 20, 5000, 'the missed events')
    expect(back.got.map((m) => JSON.parse(m.payload.toString()).t)).toEqual([...Array(20).keys()])
  })

  it('loses no event while the broker restarts mid-stream', async () => {
    // The workstation comes back well after the edge: what was published meanwhile waits in its session.
    const ws = await listen('vigil/+/events', {
      clientId: 'workstation-2',
      clean: false,
      reconnectPeriod: 1500,
    })
    const p = publisher({ node: 'edge-f', format: 'json', broker: { clientId: 'edge-f' } })
    await until(() => p.stats().connected, 5000, 'the connection')
    const N = 150
    let restarted: Promise<void> | null = null
    for (let i = 0; i < N; i++) {
      p.event({ type: 'alarm', assetId: 'P-101', t: i })
      if (i === 50) restarted = broker.restart(300)
      await sleep(10)
    }
    await restarted
    await until(() => p.stats().eventsAcked === N, 15_000, 'the broker to acknowledge every event')
    const seen = () => new Set(ws.got.map((m) => JSON.parse(m.payload.toString()).t as number))
    const missing = () => [...Array(N).keys()].filter((i) => !seen().has(i))
    await until(() => missing().length === 0, 10_000, `all ${N} events at the workstation`).catch(
      (e: Error) => {
        throw new Error(`${e.message}; missing ${missing().join(',')}`)
      },
    )
    expect([...seen()].sort((a, b) => a - b)).toEqual([...Array(N).keys()])
    expect(p.stats().births).toBeGreaterThanOrEqual(2)
  })
})

describe('MQTT publisher, JSON', () => {
  it('writes columnar samples with null for a missing value, and scores', async () => {
    const { got } = await listen('vigil/P-101/+')
    const p = publisher({ node: 'edge-g', format: 'json' })
    await until(() => p.stats().connected, 5000, 'the connection')
    await sleep(50)
    p.live({ topic: 'samples', batch: batch(1000, 2) })
    p.live({ topic: 'scores', batch: scores([2000], [0]) })
    await until(() => got.length >= 2, 5000, 'samples and scores')
    const [s, sc] = got.map((m) => JSON.parse(m.payload.toString()))
    expect(s).toEqual({
      t: [1000, 2000],
      values: { Motor_RPM: [1480, 1481], Bearing_Temperature_C: [60, null] },
      quality: { Motor_RPM: [0, 0], Bearing_Temperature_C: [0, 8] },
    })
    expect(sc).toEqual({
      model: 'pump-ae',
      version: '1',
      threshold: 0.5,
      t: [2000],
      score: [0.1],
      anomaly: [0],
    })
  })
})
