import { connect, type IClientOptions, type MqttClient } from 'mqtt'
import type { SampleBatch, SourceStatus } from '../../shared/samples.ts'
import type { SourceOutput } from '../sources/source.ts'

/** Polls `pred` every 20 ms; fails naming `what` after `ms`. Bounds every wait in the MQTT tests. */
export async function until(pred: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * A plain MQTT client, as a device, an edge node or a workstation would hold one. `onMessage`
 * is attached before connecting: a resumed session delivers what it kept right after CONNACK.
 */
export async function rawClient(
  url: string,
  opts: IClientOptions = {},
  onMessage?: (topic: string, payload: Buffer) => void,
): Promise<MqttClient> {
  const c = connect(url, { reconnectPeriod: 200, connectTimeout: 5000, ...opts })
  if (onMessage) c.on('message', onMessage)
  await new Promise<void>((resolve, reject) => {
    const failed = (e: Error) => (c.end(true), reject(e))
    c.once('error', failed)
    c.once('connect', () => {
      c.off('error', failed)
      resolve()
    })
  })
  return c
}

/** Everything a source sends, with helpers to read it as rows. */
export interface Collected extends SourceOutput {
  batches: SampleBatch[]
  statuses: Omit<SourceStatus, 'assetId' | 'kind' | 'at'>[]
  /** Every row so far: [t, ...values in tag order]. */
  rows(): number[][]
}

export function collect(): Collected {
  const batches: SampleBatch[] = []
  const statuses: Collected['statuses'] = []
  return {
    batches,
    statuses,
    batch: (b) => batches.push(b),
    status: (s) => statuses.push(s),
    rows: () => batches.flatMap((b) => Array.from(b.t, (t, i) => [t, ...b.values.map((v) => v[i]!)])),
  }
}
