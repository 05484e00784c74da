import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MqttSource } from '../../../shared/mqtt-config.ts'
import type { AssetConfig } from '../../../shared/plant.ts'
import { startMosquitto, type Mosquitto } from '../../mqtt/mosquitto.ts'
import { decode, encode, parseTopic, REBIRTH, topicOf, type UMetric } from '../../mqtt/sparkplug.ts'
import { collect, rawClient, sleep, until, type Collected } from '../../mqtt/test-helpers.ts'
import { makeTestCertificates } from '../../mqtt/tls-fixture.ts'
import { openSecrets } from '../../secrets/index.ts'
import type { SourceHandle } from '../source.ts'
import { mqtt } from './index.ts'

const asset = {
  id: 'P-101',
  name: 'pump',
  class: 'pump',
  models: [],
  tags: [
    { id: 'Motor_RPM', unit: 'rpm', min: 0, max: 3600 },
    { id: 'Bearing_Temperature_C', unit: '°C', min: -20, max: 150 },
  ],
} as unknown as AssetConfig

let broker: Mosquitto
const open: { handles: SourceHandle[]; clients: MqttClient[] } = { handles: [], clients: [] }
let n = 0

beforeAll(async () => {
  broker = await startMosquitto()
})
afterAll(async () => {
  for (const h of open.handles) await h.stop()
  for (const c of open.clients) await c.endAsync(true)
  await broker?.dispose()
})

/** Starts the real source kind on a config of this test; every status and batch is collected. */
async function source(cfg: Record<string, unknown>, url = broker.url): Promise<Collected> {
  const out = collect()
  const parsed = MqttSource.parse({
    kind: 'mqtt',
    statusEveryMs: 200,
    holdMs: 50,
    ...cfg,
    broker: {
      url,
      clientId: `test-src-${++n}`,
      reconnect: { minMs: 100, maxMs: 400 },
      ...(cfg.broker as object),
    },
  })
  open.handles.push(await mqtt.start(parsed, asset, out))
  return out
}
async function client(url = broker.url) {
  const c = await rawClient(url)
  open.clients.push(c)
  return c
}
const json = {
  json: [
    {
      topic: 'plant/p101/telemetry',
      time: 'ts',
      fields: { Motor_RPM: 'rpm', Bearing_Temperature_C: 'bearing.temp' },
    },
  ],
}
const subscribed = () => sleep(300)

describe('MQTT source, JSON topics', () => {
  it('maps JSON fields to tags and sends rows in the asset tag order', async () => {
    const out = await source(json)
    await until(() => out.statuses.some((s) => /connected/.test(s.message ?? '')), 5000, 'connection')
    await subscribed()
    const pub = await client()
    for (let i = 0; i < 5; i++)
      await pub.publishAsync(
        'plant/p101/telemetry',
        JSON.stringify({ ts: 1000 * (i + 1), rpm: 1480 + i, bearing: { temp: 60 + i } }),
        { qos: 1 },
      )
    await until(() => out.rows().length >= 5, 5000, 'five rows')
    expect(out.rows()).toEqual([1, 2, 3, 4, 5].map((i) => [1000 * i, 1479 + i, 59 + i]))
    await until(
      () => out.statuses.some((s) => s.state === 'running' && s.lastSampleAt === 5000),
      2000,
      'running status',
    )
  })

  it('reports bad payloads with the topic and field named, and keeps reading', async () => {
    const out = await source(json)
    await until(() => out.statuses.some((s) => /connected/.test(s.message ?? '')), 5000, 'connection')
    await subscribed()
    const pub = await client()
    await pub.publishAsync('plant/p101/telemetry', '{"ts": 1000, "rpm": 14', { qos: 1 })
    await pub.publishAsync(
      'plant/p101/telemetry',
      JSON.stringify({ ts: 2000, rpm: 'fast', bearing: { temp: 61 } }),
      { qos: 1 },
    )
    await pub.publishAsync(
      'plant/p101/telemetry',
      JSON.stringify({ ts: 3000, rpm: 1500, bearing: { temp: 62 } }),
      { qos: 1 },
    )
    await until(() => out.rows().some((r) => r[0] === 3000), 5000, 'the good message after the bad ones')
    const messages = out.statuses.map((s) => s.message ?? '')
    expect(messages).toContain(
      'topic plant/p101/telemetry: field "rpm" (tag Motor_RPM) is "fast", not a number',
    )
    expect(messages.some((m) => m.startsWith('topic plant/p101/telemetry: payload is not JSON'))).toBe(true)
    // The bad field is skipped; the message's good field still counts (rpm held at its last value: none yet).
    expect(out.rows()).toEqual([
      [2000, NaN, 61],
      [3000, 1500, 62],
    ])
    expect(out.statuses.at(-1)!.state).toBe('running')
  })

  it('gathers one tag per topic into rows', async () => {
    const out = await source({
      json: [
        { topic: 'plant/p101/rpm', time: 't', fields: { Motor_RPM: 'v' } },
        { topic: 'plant/p101/bearing', time: 't', fields: { Bearing_Temperature_C: 'v' } },
      ],
    })
    await until(() => out.statuses.some((s) => /connected/.test(s.message ?? '')), 5000, 'connection')
    await subscribed()
    const pub = await client()
    for (const t of [1000, 2000]) {
      await pub.publishAsync('plant/p101/rpm', JSON.stringify({ t, v: t / 10 }), { qos: 1 })
      await pub.publishAsync('plant/p101/bearing', JSON.stringify({ t, v: t / 100 }), { qos: 1 })
    }
    await until(() => out.rows().length >= 2, 5000, 'two rows')
    expect(out.rows()).toEqual([
      [1000, 100, 10],
      [2000, 200, 20],
    ])
  })

  it('turns stale while the broker is down and marks the samples lost meanwhile as a gap', async () => {
    const out = await source(json)
    await until(() => out.statuses.some((s) => /connected/.test(s.message ?? '')), 5000, 'connection')
    await subscribed()
    const pub = await client()
    let t = 0
    let running = true
    // A device sending every 20 ms (100 ms of its time), dropping what it cannot send: a real hole.
    const device = (async () => {
      while (running) {
        t += 100
        if (pub.connected)
          pub.publish('plant/p101/telemetry', JSON.stringify({ ts: t, rpm: t, bearing: { temp: 50 } }))
        await sleep(20)
      }
    })()
    await until(() => out.rows().length >= 20, 5000, 'rows before the restart')
    await broker.stop()
    await sleep(150) // the rows received before the stop reach the batches
    const before = out.rows().at(-1)![0]!
    await broker.restart(300)
    await until(() => out.rows().some((r) => r[0]! > before + 2000), 10_000, 'rows after the restart')
    running = false
    await device
    const rows = out.rows()
    const at = rows.findIndex((r) => r[0] === before)
    const gap = rows[at + 1]!
    expect(gap[0]).toBe(before + 100)
    expect(Number.isNaN(gap[1]) && Number.isNaN(gap[2])).toBe(true)
    expect(rows[at + 2]![0]).toBeGreaterThan(before + 200)
    // Every other row is a real sample, 100 ms apart.
    expect(rows.filter((r) => Number.isNaN(r[1])).length).toBe(1)
    const stale = out.statuses.findIndex((s) => s.state === 'stale')
    expect(stale).toBeGreaterThan(0)
    expect(out.statuses.slice(stale).some((s) => s.state === 'running')).toBe(true)
  })
})

describe('MQTT source, reconnecting', () => {
  it('retries a broker that stays down after a wait that doubles from minMs up to maxMs, and is back once it returns', async () => {
    const out = await source(json)
    await until(() => out.statuses.some((s) => /connected/.test(s.message ?? '')), 5000, 'connection')
    const since = out.statuses.length
    await broker.stop()
    await sleep(2000) // 0.1 + 0.2 + 0.4 + 0.4 ... s: four attempts or more while it is down
    await broker.restart()
    await until(
      () => out.statuses.slice(since).some((s) => /connected/.test(s.message ?? '')),
      5000,
      'the reconnection',
    )
    const waits = out.statuses
      .slice(since)
      .map((s) => /retrying in ([\d.]+) s/.exec(s.state === 'stale' ? (s.message ?? '') : '')?.[1])
      .filter((w) => w !== undefined)
      .map(Number)
    // Status is also refreshed between attempts (statusEveryMs), repeating the last wait.
    const changes = waits.filter((w, i) => w !== waits[i - 1])
    // Uncapped, the fourth attempt (0.7 s after the stop) would have waited 0.8 s.
    expect(changes).toEqual([0.1, 0.2, 0.4])
  })
})

describe('MQTT source, Sparkplug B', () => {
  const group = 'Test'
  const node = 'edge-1'
  const metric = (name: string, alias: number, value: number, unit?: string): UMetric => ({
    name,
    alias,
    type: 'Double',
    value,
    timestamp: 1000,
    properties: unit ? { engUnit: { type: 'String', value: unit } } : undefined,
  })

  it('learns metrics from births, reads DDATA by alias, asks a rebirth on a sequence gap and goes stale on NDEATH', async () => {
    const out = await source({ sparkplug: { group, node, device: 'P-101', rebirthEveryMs: 0 } })
    await until(() => out.statuses.some((s) => /connected/.test(s.message ?? '')), 5000, 'connection')
    await subscribed()
    const edge = await client()
    const commands: string[] = []
    edge.on('message', (topic, payload) => {
      const m = decode(payload).metrics?.[0]
      if (m?.name === REBIRTH && m.value === true) commands.push(topic)
    })
    await edge.subscribeAsync(topicOf(group, 'NCMD', node))
    const send = (
      type: 'NBIRTH' | 'DBIRTH' | 'DDATA' | 'NDEATH',
      seq: number | undefined,
      metrics: UMetric[],
    ) =>
      edge.publishAsync(
        topicOf(group, type, node, type[0] === 'D' ? 'P-101' : undefined),
        encode({ timestamp: 1000, seq, metrics }),
      )

    await send('NBIRTH', 0, [{ name: 'bdSeq', type: 'Int64', value: 3 }])
    await send('DBIRTH', 1, [
      metric('Pump/Motor_RPM', 1, 1480, 'rpm'),
      metric('Pump/Bearing_Temperature_C', 2, 140, '°F'),
      { name: 'Pump/Mode', alias: 3, type: 'String', value: 'AUTO' },
    ])
    await send('DDATA', 2, [{ alias: 2, type: 'Double', value: 61, timestamp: 2000 }])
    await until(() => out.rows().some((r) => r[0] === 2000), 5000, 'the DDATA row')
    expect(out.rows()).toEqual([
      [1000, 1480, 140],
      [2000, 1480, 61],
    ])
    const messages = () => out.statuses.map((s) => s.message ?? '')
    expect(messages()).toContain(
      `topic spBv1.0/${group}/DBIRTH/${node}/P-101: metric "Pump/Bearing_Temperature_C" is in "°F" but tag Bearing_Temperature_C is configured in "°C"`,
    )

    await send('DDATA', 5, [{ alias: 1, type: 'Double', value: 1490, timestamp: 3000 }])
    await until(() => commands.length > 0, 5000, 'a rebirth request')
    expect(commands[0]).toBe(`spBv1.0/${group}/NCMD/${node}`)
    expect(
      out.statuses.some(
        (s) => s.state === 'stale' && /sequence gap .*expected 3, got 5/.test(s.message ?? ''),
      ),
    ).toBe(true)

    // A will from an older session (another bdSeq) says nothing about this one.
    await send('NDEATH', undefined, [{ name: 'bdSeq', type: 'Int64', value: 2 }])
    await send('DDATA', 6, [{ alias: 1, type: 'Double', value: 1500, timestamp: 4000 }])
    await until(() => out.rows().some((r) => r[0] === 4000), 5000, 'data after the old will')
    expect(out.statuses.at(-1)!.state).toBe('running')
    await send('NDEATH', undefined, [{ name: 'bdSeq', type: 'Int64', value: 3 }])
    await until(() => out.statuses.at(-1)?.state === 'stale', 5000, 'stale after NDEATH')
    expect(out.statuses.at(-1)!.message).toBe(`edge node ${node} is offline (NDEATH)`)
  })

  it('asks for a rebirth when data arrives from a node it has not seen born', async () => {
    const out = await source({ sparkplug: { group, node: 'edge-2' } })
    await until(() => out.statuses.some((s) => /connected/.test(s.message ?? '')), 5000, 'connection')
    await subscribed()
    const edge = await client()
    const got: string[] = []
    edge.on('message', (topic) => got.push(topic))
    await edge.subscribeAsync(topicOf(group, 'NCMD', 'edge-2'))
    await edge.publishAsync(
      topicOf(group, 'NDATA', 'edge-2'),
      encode({ timestamp: 1, seq: 17, metrics: [{ alias: 1, type: 'Double', value: 1 }] }),
    )
    await until(() => got.length > 0, 5000, 'a rebirth request')
    expect(parseTopic(got[0]!)?.type).toBe('NCMD')
  })
})

describe('MQTT source, broker security', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-mqtt-sec-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('logs in with a username and a password from the environment, and is failed when refused', async () => {
    const secured = await startMosquitto({ users: { vigil: 's3cret' } })
    try {
      process.env.VIGIL_TEST_MQTT_PASSWORD = 's3cret'
      const ok = await source(
        { ...json, broker: { username: 'vigil', passwordEnv: 'VIGIL_TEST_MQTT_PASSWORD' } },
        secured.url,
      )
      const refused = await source({ ...json, broker: { username: 'vigil', password: 'wrong' } }, secured.url)
      await until(() => ok.statuses.some((s) => /connected/.test(s.message ?? '')), 5000, 'the login')
      await until(() => refused.statuses.some((s) => s.state === 'failed'), 5000, 'the refusal')
      expect(refused.statuses.find((s) => s.state === 'failed')!.message).toMatch(
        /Not authorized|Bad username or password/,
      )
      await subscribed()
      const pub = await rawClient(secured.url, { username: 'vigil', password: 's3cret' })
      await pub.publishAsync(
        'plant/p101/telemetry',
        JSON.stringify({ ts: 1, rpm: 1, bearing: { temp: 2 } }),
        { qos: 1 },
      )
      await pub.endAsync()
      await until(() => ok.rows().length === 1, 5000, 'a row through the secured broker')
    } finally {
      for (const h of open.handles.splice(0)) await h.stop()
      await secured.dispose()
    }
  })

  it('connects over TLS to a broker whose certificate our CA signed, and refuses one it cannot verify', async () => {
    const certs = makeTestCertificates(dir)
    const tls = await startMosquitto({ tls: certs })
    try {
      const ok = await source({ ...json, broker: { tls: { ca: certs.ca } } }, tls.tlsUrl!)
      const unverified = await source(json, tls.tlsUrl!)
      await until(
        () => ok.statuses.some((s) => /connected/.test(s.message ?? '')),
        5000,
        'the TLS connection',
      )
      await until(
        () => unverified.statuses.some((s) => s.state === 'stale'),
        5000,
        'the unverified connection to fail',
      )
      expect(unverified.statuses.find((s) => s.state === 'stale')!.message).toMatch(
        /self[- ]signed certificate|unable to verify/i,
      )
      await subscribed()
      const pub = await rawClient(tls.url)
      await pub.publishAsync(
        'plant/p101/telemetry',
        JSON.stringify({ ts: 1, rpm: 1, bearing: { temp: 2 } }),
        { qos: 1 },
      )
      await pub.endAsync()
      await until(() => ok.rows().length === 1, 5000, 'a row over TLS')
    } finally {
      for (const h of open.handles.splice(0)) await h.stop()
      await tls.dispose()
    }
  })

  it('names the field of a CA file it cannot read', async () => {
    const cfg = MqttSource.parse({
      kind: 'mqtt',
      broker: { url: 'mqtts://127.0.0.1:1', tls: { ca: join(dir, 'nope.crt') } },
      ...json,
    })
    expect(() => mqtt.start(cfg, asset, collect())).toThrow(
      /asset P-101: source.broker.tls.ca: cannot read ".*nope.crt"/,
    )
  })

  it('takes the password from the secrets store by name, and names the field when the secret is missing', async () => {
    const secured = await startMosquitto({ users: { vigil: 'from-the-store' } })
    const secrets = openSecrets(join(dir, 'user-data'))
    secrets.set('mqtt/broker', 'from-the-store')
    const ctx = { secret: (name: string) => secrets.get(name) }
    const cfg = (name: string) =>
      MqttSource.parse({
        kind: 'mqtt',
        statusEveryMs: 200,
        broker: {
          url: secured.url,
          username: 'vigil',
          passwordSecret: name,
          reconnect: { minMs: 100, maxMs: 400 },
        },
        ...json,
      })
    try {
      expect(() => mqtt.start(cfg('mqtt/other'), asset, collect(), ctx)).toThrow(
        /asset P-101: source.broker.passwordSecret: secret "mqtt\/other" is not in .*secrets.json/,
      )
      expect(() => mqtt.start(cfg('mqtt/broker'), asset, collect())).toThrow(
        /no secret store to read "mqtt\/broker"/,
      )
      const out = collect()
      open.handles.push(await mqtt.start(cfg('mqtt/broker'), asset, out, ctx))
      await until(() => out.statuses.some((s) => /connected/.test(s.message ?? '')), 5000, 'the login')
      expect(out.statuses.some((s) => s.state === 'failed')).toBe(false)
      expect(JSON.stringify(out.statuses)).not.toContain('from-the-store')
      const both = MqttSource.safeParse({
        ...cfg('mqtt/broker'),
        broker: { ...cfg('mqtt/broker').broker, password: 'x' },
      })
      expect(both.error?.issues[0]).toMatchObject({
        path: ['broker', 'passwordSecret'],
        message: 'give at most one of "password", "passwordEnv" or "passwordSecret"',
      })
    } finally {
      for (const h of open.handles.splice(0)) await h.stop()
      await secured.dispose()
    }
  })
})
