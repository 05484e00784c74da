import { readFileSync } from 'node:fs'
import { connect, type IClientOptions, type MqttClient } from 'mqtt'
import { VigilError } from '../../shared/errors.ts'
import type { MqttBroker } from '../../shared/mqtt-config.ts'

export interface ConnectionEvents {
  /** Every (re)connect. sessionPresent: the broker kept our subscriptions and what we missed. */
  up(sessionPresent: boolean): void
  /** The link is down or an attempt failed; the next attempt is in `retryInMs`. */
  down(error: string | null, retryInMs: number, refused: boolean): void
  message?(topic: string, payload: Buffer): void
}

export interface MqttConnection {
  client: MqttClient
  /** Ends the session politely (QoS 1 in flight gets `graceMs` to be acknowledged), then stops retrying. */
  close(graceMs?: number): Promise<void>
}

/**
 * mqtt.js options from a broker block. Files and secrets are read here, once, so a missing
 * CA file, unset password variable or unknown secret fails the start with the field named
 * instead of failing every reconnect. `secret` reads the secrets store (src/main/secrets).
 */
export function clientOptions(
  b: MqttBroker,
  clientId: string,
  where: string,
  secret?: (name: string) => string,
): IClientOptions {
  const file = (field: 'ca' | 'cert' | 'key') => {
    const path = b.tls?.[field]
    if (path === undefined) return undefined
    try {
      return readFileSync(path)
    } catch (e) {
      throw new VigilError(
        'config.invalid',
        `${where}.broker.tls.${field}: cannot read "${path}" (${(e as Error).message})`,
      )
    }
  }
  let password = b.password
  if (b.passwordEnv !== undefined) {
    password = process.env[b.passwordEnv]
    if (password === undefined)
      throw new VigilError(
        'config.invalid',
        `${where}.broker.passwordEnv: environment variable ${b.passwordEnv} is not set`,
      )
  }
  if (b.passwordSecret !== undefined) {
    if (!secret)
      throw new VigilError(
        'config.invalid',
        `${where}.broker.passwordSecret: no secret store to read "${b.passwordSecret}" from`,
      )
    try {
      password = secret(b.passwordSecret)
    } catch (e) {
      throw new VigilError('config.invalid', `${where}.broker.passwordSecret: ${(e as Error).message}`)
    }
  }
  return {
    clientId: b.clientId ?? clientId,
    clean: b.clean,
    keepalive: b.keepaliveS,
    username: b.username,
    password,
    protocolVersion: 4,
    ca: file('ca'),
    cert: file('cert'),
    key: file('key'),
    rejectUnauthorized: b.tls?.rejectUnauthorized ?? true,
    servername: b.tls?.servername,
    // Reconnects are ours (below), with backoff; mqtt.js would retry at a fixed period.
    reconnectPeriod: 0,
    manualConnect: true,
    connectTimeout: 10_000,
    // Data published while the link is down is stale by the time it is back; QoS 1 is kept.
    queueQoSZero: false,
  }
}

/**
 * Connects and keeps reconnecting, doubling the wait from reconnect.minMs to maxMs. The
 * outgoing store survives reconnects, so QoS 1 messages published while the link is down
 * are sent once it is back. `beforeConnect` runs before every attempt (a Sparkplug edge
 * node renews its will there).
 */
export function openConnection(
  b: MqttBroker,
  options: IClientOptions,
  events: ConnectionEvents,
  beforeConnect?: (options: IClientOptions) => void,
): MqttConnection {
  const client = connect(b.url, options)
  let wait = b.reconnect.minMs
  let lastError: string | null = null
  let refused = false
  let timer: NodeJS.Timeout | null = null
  let closing = false

  const attempt = () => {
    timer = null
    if (closing) return
    beforeConnect?.(client.options)
    client.connect()
  }
  client.on('connect', (ack) => {
    wait = b.reconnect.minMs
    lastError = null
    refused = false
    events.up(ack.sessionPresent)
  })
  client.on('error', (e) => {
    lastError = e.message
    // CONNACK refusals (bad user or password, not authorised) carry a code; socket errors do not.
    if ('code' in e && typeof e.code === 'number' && e.code > 0) refused = true
  })
  client.on('close', () => {
    if (closing || timer) return
    events.down(lastError, wait, refused)
    timer = setTimeout(attempt, wait)
    wait = Math.min(b.reconnect.maxMs, wait * 2)
  })
  if (events.message) client.on('message', (topic, payload) => events.message!(topic, payload))
  attempt()

  return {
    client,
    close(graceMs = 2000) {
      closing = true
      if (timer) clearTimeout(timer)
      return new Promise<void>((resolve) => {
        if (!client.connected) return void client.end(true, {}, () => resolve())
        // end(true) is a no-op while end(false) waits for acknowledgements, so cut the socket.
        const force = setTimeout(() => {
          client.stream.destroy()
          resolve()
        }, graceMs)
        client.end(false, {}, () => {
          clearTimeout(force)
          resolve()
        })
      })
    },
  }
}
