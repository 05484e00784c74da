import { hostname } from 'node:os'
import type { MqttPublish } from '../../shared/mqtt-config.ts'
import type { PlantConfig } from '../../shared/plant.ts'
import type { LiveMessage, ScoreBatch } from '../../shared/samples.ts'
import { clientOptions, openConnection } from './connection.ts'
import { jsonFormat } from './json-format.ts'
import type { OutMessage, PublishFormat } from './publish-format.ts'
import { sparkplugFormat } from './sparkplug-format.ts'

/**
 * Something a subscriber must not miss: an anomaly state change, an alarm's transition, a
 * maintenance event opened or resolved. Published as JSON at QoS 1 on <prefix>/<asset>/events,
 * numbered per publisher run so a subscriber can prove it lost none.
 */
export interface PublishedEvent {
  type: 'anomaly' | 'alarm' | 'maintenance' | (string & {})
  assetId: string
  /** Epoch ms of what the event is about (a window's end, an alarm's transition). */
  t: number
  [field: string]: unknown
}

export interface PublisherStats {
  connected: boolean
  messages: number
  events: number
  eventsAcked: number
  /** Data dropped while the link was down (QoS 0, or past the QoS 1 buffer). */
  dropped: number
  births: number
  lastError: string | null
}

export interface MqttPublisher {
  /** What the hub streams; encodes synchronously and keeps no buffer. */
  live(m: LiveMessage): void
  /** Publishes at QoS 1, kept by mqtt.js until the broker acknowledges it; returns its number. */
  event(e: PublishedEvent): number
  stats(): PublisherStats
  stop(): Promise<void>
}

/** QoS 1 data handed to mqtt.js while the link is down, at most: the rest is dropped and counted. */
const MAX_BUFFERED_WHILE_DOWN = 2000

/** Connects in the background: a broker that is down delays nothing but the publishing. */
/** `secret` reads the broker's passwordSecret from the secrets store. */
export function startMqttPublisher(
  cfg: MqttPublish,
  plant: PlantConfig,
  secret?: (name: string) => string,
): MqttPublisher {
  const node = cfg.node ?? `vigil-${hostname().replace(/[/+#.]/g, '-')}`
  const format: PublishFormat =
    cfg.format === 'sparkplug' ? sparkplugFormat(cfg, plant, node) : jsonFormat(cfg, plant, node)
  const st: PublisherStats = {
    connected: false,
    messages: 0,
    events: 0,
    eventsAcked: 0,
    dropped: 0,
    births: 0,
    lastError: null,
  }
  const runId = Date.now()
  let born = false
  let everBorn = false
  let bufferedWhileDown = 0
  const anomalyState = new Map<string, number>()
  let will: OutMessage | null = null

  const put = (m: OutMessage, qos: 0 | 1, cb?: (err?: Error) => void) => {
    st.messages++
    conn.client.publish(m.topic, m.payload, { qos, retain: m.retain ?? false }, cb)
  }
  const rebirth = () => {
    for (const m of format.births()) put(m, 0)
    st.births++
    born = true
    everBorn = true
  }
  const data = (m: OutMessage | null) => {
    if (!m) return
    if (born) return put(m, cfg.dataQos)
    // Before the first birth no subscriber could read it; while down only QoS 1 is worth keeping.
    if (everBorn && cfg.dataQos === 1 && bufferedWhileDown < MAX_BUFFERED_WHILE_DOWN) {
      bufferedWhileDown++
      return put(m, 1)
    }
    st.dropped++
  }

  const conn = openConnection(
    cfg.broker,
    clientOptions(cfg.broker, node, 'publish', secret),
    {
      up() {
        st.connected = true
        bufferedWhileDown = 0
        if (format.commandTopics.length) conn.client.subscribe(format.commandTopics, { qos: 0 })
        rebirth()
      },
      down(error) {
        st.connected = false
        born = false
        st.lastError = error ?? st.lastError
      },
      message(topic, payload) {
        if (format.isRebirth(topic, payload)) rebirth()
      },
    },
    (options) => {
      will = format.will()
      options.will = {
        topic: will.topic,
        payload: Buffer.from(will.payload),
        qos: 1,
        retain: will.retain ?? false,
      }
    },
  )

  const event = (e: PublishedEvent) => {
    const n = ++st.events
    const msg = {
      topic: `${cfg.topicPrefix}/${e.assetId}/events`,
      payload: JSON.stringify({ ...e, n, node, runId }),
    }
    put(msg, 1, (err) => {
      if (!err) st.eventsAcked++
    })
    return n
  }
  /** Anomaly state changes per asset and model; NORMAL is assumed before the first window. */
  const anomalyChanges = (s: ScoreBatch) => {
    const key = `${s.assetId}\u0000${s.modelId}`
    let state = anomalyState.get(key) ?? 0
    for (let w = 0; w < s.t.length; w++) {
      if (s.anomaly[w] === state) continue
      state = s.anomaly[w]!
      event({
        type: 'anomaly',
        assetId: s.assetId,
        t: s.t[w]!,
        modelId: s.modelId,
        state: state ? 'ANOMALY' : 'NORMAL',
        score: s.score[w],
        threshold: s.threshold,
      })
    }
    anomalyState.set(key, state)
  }

  return {
    live(m) {
      if (m.topic === 'samples' && cfg.samples) data(format.samples(m.batch))
      else if (m.topic === 'scores') {
        if (cfg.scores) data(format.scores(m.batch))
        anomalyChanges(m.batch)
      } else if (m.topic === 'predictions') {
        // Model outputs, like the scores: the same switch and QoS.
        if (cfg.scores) data(format.predictions(m.batch))
      } else if (m.topic === 'alarms') {
        // The hub sends only the alarms and maintenance events that changed: each is one event.
        for (const a of m.alarms) event({ ...a, type: 'alarm', t: a.changedAt })
        for (const w of m.maintenance) event({ ...w, type: 'maintenance', t: w.resolvedAt ?? w.openedAt })
      }
    },
    event,
    stats: () => ({ ...st }),
    async stop() {
      // A graceful exit leaves no will behind, so the node says it is going (Sparkplug NDEATH).
      if (will && conn.client.connected) put(will, 1)
      born = false
      await conn.close()
    },
  }
}
