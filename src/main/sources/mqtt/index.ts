import { hostname } from 'node:os'
import { MqttSource } from '../../../shared/mqtt-config.ts'
import { clientOptions, openConnection } from '../../mqtt/connection.ts'
import { parseTopic, rebirthRequest, topicOf } from '../../mqtt/sparkplug.ts'
import type { SourceKind } from '../source.ts'
import { compileJsonTopics, readJson, topicMatches } from './json-topics.ts'
import { RowAssembler } from './row-assembler.ts'
import { SourceHealth } from './source-health.ts'
import { SparkplugReader } from './sparkplug-reader.ts'

export type { DiscoveredMetric } from './sparkplug-reader.ts'

/**
 * An asset fed from a plant broker: JSON topics mapped to tags, or a Sparkplug B edge node.
 * Values become rows in the asset's tag order (row-assembler.ts) and leave as one batch per
 * tick. The session is persistent by default (clean: false, a fixed client id), so QoS 1
 * messages published while this workstation was away arrive when it is back.
 */
export const mqtt: SourceKind<typeof MqttSource> = {
  kind: 'mqtt',
  config: MqttSource,
  start(cfg, asset, out, ctx) {
    const where = `asset ${asset.id}: source`
    const rows = new RowAssembler(asset.tags.length, cfg.holdMs)
    const health = new SourceHealth(out, rows, cfg.staleAfterS * 1000)
    const sink = {
      value: (k: number, t: number, v: number) => rows.set(k, t, v, Date.now()),
      problem: (key: string, message: string) => health.problem(key, message),
    }
    const routes = cfg.json ? compileJsonTopics(cfg.json, asset, where) : []
    let lastRebirth = -Infinity
    const sp = cfg.sparkplug
    const reader = sp
      ? new SparkplugReader(
          sp,
          asset,
          {
            ...sink,
            interrupted: (reason, dead) => health.interrupted(reason, dead),
            requestRebirth(reason) {
              const now = Date.now()
              if (now - lastRebirth < sp.rebirthEveryMs || !conn.client.connected) return
              lastRebirth = now
              conn.client.publish(topicOf(sp.group, 'NCMD', sp.node), rebirthRequest(), { qos: 0 })
              health.problem(`rebirth|${reason}`, `asked edge node ${sp.node} to rebirth: ${reason}`)
            },
          },
          where,
        )
      : null
    const filters = reader ? reader.subscriptions() : routes.map((r) => r.filter)
    const clientId = `vigil-${hostname()}-${asset.id}`.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 64)

    let subscribed = false
    const conn = openConnection(cfg.broker, clientOptions(cfg.broker, clientId, where, ctx?.secret), {
      up(sessionPresent) {
        // Status reaches every screen: never show a password carried in the URL.
        health.up(cfg.broker.url.replace(/\/\/[^@/]*@/, '//'))
        // A kept session still holds our subscriptions, and subscribing again would replay retained
        // messages; but the first connect of this run subscribes anyway, in case the mapping changed.
        if (sessionPresent && subscribed) return
        subscribed = true
        conn.client.subscribe(filters, { qos: cfg.qos }, (err, granted) => {
          const refused = granted?.filter((g) => g.qos === 128).map((g) => g.topic) ?? []
          if (err || refused.length)
            health.problem(
              'subscribe',
              `the broker refused the subscription to ${err?.message ?? refused.join(', ')}`,
            )
        })
      },
      down: (error, retryInMs, refused) => health.down(error, retryInMs, refused),
      message(topic, payload) {
        const now = Date.now()
        try {
          if (reader) {
            const st = parseTopic(topic)
            if (st) reader.handle(topic, st, payload, now)
          } else
            for (const r of routes) if (topicMatches(r.filter, topic)) readJson(r, topic, payload, now, sink)
        } catch (e) {
          health.problem(`${topic}|error`, `topic ${topic}: ${(e as Error).message}`)
        }
      },
    })

    const flush = () => {
      const b = rows.take(asset.id, Date.now())
      if (!b) return
      health.samples(b.t.length, b.t[b.t.length - 1]!)
      out.batch(b)
    }
    const tickMs = Math.max(20, Math.min(100, cfg.holdMs / 2))
    const flusher = setInterval(flush, tickMs)
    const status = setInterval(() => health.tick(), cfg.statusEveryMs)

    return {
      async stop() {
        clearInterval(flusher)
        clearInterval(status)
        await conn.close()
        flush()
        health.stopped()
      },
    }
  },
}
