import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MqttPublish } from '../../shared/mqtt-config.ts'
import { PlantConfig } from '../../shared/plant.ts'
import type { PredictionBatch } from '../../shared/samples.ts'
import { startMosquitto, type Mosquitto } from './mosquitto.ts'
import { startMqttPublisher, type MqttPublisher } from './publisher.ts'
import { decode, int, parseTopic, type UPayload } from './sparkplug.ts'
import { rawClient, sleep, until } from './test-helpers.ts'

/*
 * Predictor outputs go to the plant broker the way detector scores do: JSON on
 * <prefix>/<asset>/predictions, Sparkplug B as the model's Score/Anomaly/Threshold metrics
 * its device birth already declares. Against a real mosquitto.
 */

const plant = PlantConfig.parse({
  name: 'Test plant',
  assets: [
    {
      id: 'C-201',
      name: 'compressor',
      class: 'compressor',
      source: { kind: 'simulator', model: 'compressor' },
      models: ['cmapss-rul', 'compressor-ppo'],
      tags: [
        { id: 'Discharge_Pressure_bar', unit: 'bar', min: 0, max: 30 },
        { id: 'Speed_rpm', unit: 'rpm', min: 0, max: 12000 },
      ],
    },
  ],
})

const rul: PredictionBatch = {
  assetId: 'C-201',
  modelId: 'cmapss-rul',
  modelVersion: '2.0.0',
  kind: 'rul',
  t: Float64Array.from([60_000, 120_000]),
  value: Float64Array.from([80, 42]),
  threshold: 50,
  flagged: Uint8Array.from([0, 1]),
  spread: Float64Array.from([6, NaN]),
  latencyMs: 3,
}
const advice: PredictionBatch = {
  assetId: 'C-201',
  modelId: 'compressor-ppo',
  modelVersion: '1',
  kind: 'policy',
  t: Float64Array.from([90_000]),
  value: Float64Array.from([NaN]),
  threshold: 0,
  flagged: new Uint8Array(1),
  actions: Float64Array.from([24.5, 10_400]),
  actionTags: ['Discharge_Pressure_bar', 'Speed_rpm'],
  latencyMs: 1,
}

let broker: Mosquitto
const cleanup: (() => Promise<unknown>)[] = []
beforeAll(async () => {
  broker = await startMosquitto()
})
afterAll(async () => {
  for (const c of cleanup.reverse()) await c()
  await broker?.dispose()
})

function publisher(cfg: Record<string, unknown>): MqttPublisher {
  const p = startMqttPublisher(
    MqttPublish.parse({
      group: 'G',
      ...cfg,
      broker: { url: broker.url, reconnect: { minMs: 100, maxMs: 400 } },
    }),
    plant,
  )
  cleanup.push(() => p.stop())
  return p
}
async function listen(topic: string) {
  const got: { topic: string; payload: Buffer }[] = []
  const c = await rawClient(broker.url, {}, (t, payload) => got.push({ topic: t, payload }))
  cleanup.push(() => c.endAsync(true))
  await c.subscribeAsync(topic, { qos: 1 })
  return got
}

describe('MQTT publisher, predictions', () => {
  it('publishes RUL and setpoint advice as JSON beside the scores, null for a missing number', async () => {
    const got = await listen('vigil/C-201/predictions')
    const p = publisher({ node: 'edge-p', format: 'json' })
    await until(() => p.stats().connected, 5000, 'the connection')
    await sleep(50)
    p.live({ topic: 'predictions', batch: rul })
    p.live({ topic: 'predictions', batch: advice })
    await until(() => got.length >= 2, 5000, 'two predictions')
    const [r, a] = got.map((m) => JSON.parse(m.payload.toString()))
    expect(r).toEqual({
      model: 'cmapss-rul',
      version: '2.0.0',
      kind: 'rul',
      threshold: 50,
      t: [60_000, 120_000],
      value: [80, 42],
      flagged: [0, 1],
      spread: [6, null],
    })
    expect(a.kind).toBe('policy')
    expect(a.value).toEqual([null])
    expect(a.actions).toEqual({ Discharge_Pressure_bar: [24.5], Speed_rpm: [10_400] })
  })

  it('publishes nothing of the models when scores are switched off', async () => {
    const got = await listen('vigil/C-201/#')
    const p = publisher({ node: 'edge-q', format: 'json', scores: false })
    await until(() => p.stats().connected, 5000, 'the connection')
    await sleep(50)
    p.live({ topic: 'predictions', batch: rul })
    p.live({
      topic: 'samples',
      batch: {
        assetId: 'C-201',
        t: Float64Array.from([1]),
        values: [Float64Array.from([1]), Float64Array.from([2])],
      },
    })
    await until(() => got.length >= 1, 5000, 'the samples')
    await sleep(200)
    expect(got.map((m) => m.topic)).toEqual(['vigil/C-201/samples'])
  })

  it("publishes a RUL as the model's Score and Anomaly metrics of the device birth, in Sparkplug B", async () => {
    const got = await listen('spBv1.0/G/+/edge-s/#')
    const p = publisher({ node: 'edge-s' })
    await until(() => got.length >= 2, 5000, 'the births')
    expect(p.stats().births).toBe(1)
    p.live({ topic: 'predictions', batch: rul })
    await until(() => got.length >= 3, 5000, 'a DDATA')
    const msgs = got.map((m) => ({ ...parseTopic(m.topic)!, p: decode(m.payload) as UPayload }))
    expect(msgs.map((m) => m.type)).toEqual(['NBIRTH', 'DBIRTH', 'DDATA'])
    const alias = new Map(msgs[1]!.p.metrics!.map((m) => [int(m.alias)!, m.name!]))
    const rows = msgs[2]!.p.metrics!.map((m) => [alias.get(int(m.alias)!), int(m.timestamp), m.value])
    expect(rows).toEqual([
      ['Models/cmapss-rul/Score', 60_000, 80],
      ['Models/cmapss-rul/Anomaly', 60_000, false],
      ['Models/cmapss-rul/Score', 120_000, 42],
      ['Models/cmapss-rul/Anomaly', 120_000, true],
      ['Models/cmapss-rul/Threshold', 120_000, 50],
    ])
  })
})
