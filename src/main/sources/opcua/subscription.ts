import type { ClientMonitoredItemGroup, DataValue } from 'node-opcua'
import type { OpcuaSource } from '../../../shared/opcua-config.ts'
import type { Opcua } from '../../opcua/load.ts'
import { within, type OpenSession } from '../../opcua/session.ts'
import type { Intake } from './intake.ts'

/** One monitored node: its tag's index in the asset and its own settings. */
export interface ItemPlan {
  nodeId: string
  tag: string
  k: number
  samplingIntervalMs: number
  deadband?: { type: 'absolute' | 'percent'; value: number }
}

export interface Subscribed {
  /** Items the server accepted. */
  created: number
  /** Items it refused, each with the node, the tag and the status: "ns=1;s=X (tag T): BadNodeIdUnknown". */
  refused: string[]
  close(): Promise<void>
}

export interface SubscriptionEvents {
  /** Any publish response, data or keepalive: the server is there. */
  alive(): void
  lost(why: string): void
}

/** Items per CreateMonitoredItems call when the server states no limit; many servers cap it near this. */
const DEFAULT_PER_CALL = 1000
const MAX_MONITORED_ITEMS_PER_CALL = 'i=11714'

/**
 * One subscription with every mapped node in it, created afresh on each session (a
 * restarted server has forgotten the old one). Items that share settings are created
 * together, in calls no larger than the server allows; values go to `intake`.
 */
export async function subscribe(
  m: Opcua,
  s: OpenSession,
  plan: ItemPlan[],
  cfg: OpcuaSource & { publishingIntervalMs: number },
  intake: Intake,
  events: SubscriptionEvents,
): Promise<Subscribed> {
  const publishing = cfg.publishingIntervalMs
  const keepAliveCount = Math.max(1, Math.ceil(cfg.keepaliveMs / publishing))
  const sub = await within(
    s.session.createSubscription2({
      requestedPublishingInterval: publishing,
      requestedMaxKeepAliveCount: keepAliveCount,
      requestedLifetimeCount: Math.max(3 * keepAliveCount, Math.ceil(60_000 / publishing)),
      maxNotificationsPerPublish: 0,
      publishingEnabled: true,
      priority: 10,
    }),
    10_000,
    `${cfg.endpoint}: create subscription`,
  )
  sub.on('raw_notification', events.alive)
  sub.on('terminated', () => events.lost('the server ended the subscription'))
  sub.on('internal_error', (e: Error) => events.lost(`subscription failed: ${e.message}`))

  const perCall = await maxPerCall(m, s)
  const sets = new Map<string, ItemPlan[]>()
  for (const p of plan) {
    const key = `${p.samplingIntervalMs}|${p.deadband?.type ?? ''}|${p.deadband?.value ?? ''}`
    sets.set(key, [...(sets.get(key) ?? []), p])
  }
  const refused: string[] = []
  let created = 0
  for (const items of sets.values())
    for (let from = 0; from < items.length; from += perCall) {
      const chunk = items.slice(from, from + perCall)
      const ks = Int32Array.from(chunk, (p) => p.k)
      const first = chunk[0]!
      const group: ClientMonitoredItemGroup = m.ClientMonitoredItemGroup.create(
        sub,
        chunk.map((p) => ({ nodeId: p.nodeId, attributeId: m.AttributeIds.Value })),
        {
          samplingInterval: first.samplingIntervalMs,
          queueSize: cfg.queueSize,
          discardOldest: true,
          filter: first.deadband
            ? new m.DataChangeFilter({
                trigger: m.DataChangeTrigger.StatusValue,
                deadbandType:
                  first.deadband.type === 'percent' ? m.DeadbandType.Percent : m.DeadbandType.Absolute,
                deadbandValue: first.deadband.value,
              })
            : null,
        },
        m.TimestampsToReturn.Both,
      )
      group.on('changed', (_item: unknown, dv: DataValue, i: number) => intake.add(ks[i]!, dv, Date.now()))
      await within(
        new Promise<void>((resolve, reject) => {
          group.once('initialized', resolve)
          group.once('err', (msg: string) => reject(new Error(msg)))
        }),
        30_000,
        `${cfg.endpoint}: create ${chunk.length} monitored items`,
      )
      group.monitoredItems.forEach((item, i) => {
        if (item.statusCode.value === 0 || item.statusCode.name.startsWith('Good')) created++
        else refused.push(`${chunk[i]!.nodeId} (tag ${chunk[i]!.tag}): ${item.statusCode.name}`)
      })
    }
  return {
    created,
    refused,
    async close() {
      sub.removeAllListeners()
      await within(sub.terminate(), 3000, 'delete subscription').catch(() => {})
    },
  }
}

/** The server's MaxMonitoredItemsPerCall (0 or unreadable: no stated limit). */
async function maxPerCall(m: Opcua, s: OpenSession): Promise<number> {
  try {
    const dv = await within(
      s.session.read({ nodeId: MAX_MONITORED_ITEMS_PER_CALL, attributeId: m.AttributeIds.Value }),
      5000,
      'read MaxMonitoredItemsPerCall',
    )
    const n = Number(dv.value?.value)
    return n > 0 ? Math.min(n, DEFAULT_PER_CALL) : DEFAULT_PER_CALL
  } catch {
    return DEFAULT_PER_CALL
  }
}
