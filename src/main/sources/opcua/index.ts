import { VigilError } from '../../../shared/errors.ts'
import { OpcuaSource } from '../../../shared/opcua-config.ts'
import { userDataDir } from '../../cli/user-data.ts'
import { loadOpcua } from '../../opcua/load.ts'
import { clientPkiDir, onTrust } from '../../opcua/pki.ts'
import { openSession, UntrustedCertificateError, type OpenSession } from '../../opcua/session.ts'
import { RowAssembler } from '../mqtt/row-assembler.ts'
import { SourceHealth } from '../mqtt/source-health.ts'
import type { SourceKind } from '../source.ts'
import { Intake } from './intake.ts'
import { planItems } from './item-plan.ts'
import { subscribe, type Subscribed } from './subscription.ts'

/**
 * An asset fed by an OPC UA server: one subscription, one monitored item per mapped node.
 * Values become rows in the asset's tag order (the MQTT source's row assembler), with the
 * node's status as quality (data-value.ts). Vigil reconnects itself, with backoff: each new
 * session re-checks the server certificate and re-creates the subscription, and the first
 * row after the outage is checked for a gap (marked with a MISSING row when samples were
 * lost). While the link is down the source is 'stale' with the reason; a refusal a person
 * must act on (an untrusted certificate, a rejected user, a missing secret) is 'failed',
 * and retried, so trusting the certificate is enough: no restart.
 */
export const opcua: SourceKind<typeof OpcuaSource> = {
  kind: 'opcua',
  config: OpcuaSource,
  async start(cfg, asset, out, ctx) {
    const where = `asset ${asset.id}: source`
    const plan = planItems(cfg, asset, where)
    const m = await loadOpcua()
    const pkiDir = clientPkiDir(ctx?.dataDir ?? userDataDir())
    const publishingIntervalMs = cfg.publishingIntervalMs ?? Math.max(50, cfg.samplingIntervalMs)
    const rows = new RowAssembler(asset.tags.length, cfg.holdMs, true)
    const health = new SourceHealth(out, rows, 3 * cfg.keepaliveMs)
    const told = new Set<number>()
    const intake = new Intake(rows, {
      serverTime: cfg.timestamps === 'server',
      rowWindowMs: cfg.rowWindowMs ?? cfg.samplingIntervalMs / 2,
      notNumeric(k, value) {
        if (told.has(k)) return
        told.add(k)
        health.problem(`type|${k}`, `tag ${asset.tags[k]!.id}: the node sends ${kindOf(value)}, not a number`)
      },
      lost(k) {
        rows.interrupt()
        health.problem(
          'overflow',
          `the server's queue overflowed (tag ${asset.tags[k]!.id}): values were lost`,
        )
      },
    })
    const password = () => {
      const name = cfg.user?.passwordSecret
      if (name === undefined) return undefined
      if (!ctx?.secret)
        throw new VigilError('config.invalid', `${where}.user: no secret store to read "${name}" from`)
      return ctx.secret(name)
    }

    let stopped = false
    let delay = cfg.reconnect.minMs
    let timer: NodeJS.Timeout | undefined
    let current: { s: OpenSession; sub: Subscribed } | null = null
    let recheckTrust = false
    let lastAlive = 0
    let lastSampleAt: number | undefined
    let connecting: Promise<void> | null = null

    const retry = (why: string, refused: boolean) => {
      health.down(why, delay, refused)
      timer = setTimeout(() => void (connecting = connect()), delay)
      delay = Math.min(cfg.reconnect.maxMs, delay * 2)
    }
    const lost = (why: string) => {
      const c = current
      if (!c || stopped) return
      current = null
      intake.reset()
      void c.sub.close().then(() => c.s.close())
      retry(`${cfg.endpoint}: ${why}`, false)
    }
    const connect = async () => {
      timer = undefined
      let s: OpenSession | undefined
      try {
        s = await openSession({
          conn: cfg,
          pkiDir,
          password: password(),
          keepaliveMs: cfg.keepaliveMs,
          reloadTrust: recheckTrust,
        })
        if (stopped) return await s.close()
        const alive = () => {
          lastAlive = Date.now()
          if (lastSampleAt !== undefined && health.state === 'running') health.samples(0, lastSampleAt)
        }
        const sub = await subscribe(m, s, plan, { ...cfg, publishingIntervalMs }, intake, { alive, lost })
        if (stopped) {
          await sub.close()
          await s.close()
          return
        }
        current = { s, sub }
        recheckTrust = false
        delay = cfg.reconnect.minMs
        lastAlive = Date.now()
        health.up(
          `${cfg.endpoint} (${s.security.mode}${s.security.mode === 'None' ? '' : `, ${s.security.policy}`})`,
        )
        if (sub.refused.length)
          health.problem(
            'refused',
            `the server refused ${sub.refused.length} of ${plan.length} nodes: ${sub.refused.slice(0, 5).join('; ')}`,
          )
        void s.lost.then(lost)
      } catch (e) {
        await s?.close()
        if (stopped) return
        recheckTrust = e instanceof UntrustedCertificateError
        const code = e instanceof VigilError ? e.code : 'unavailable'
        const msg = (e as Error).message.split('\n')[0]!
        retry(
          msg.includes(cfg.endpoint) ? msg : `${cfg.endpoint}: ${msg}`,
          code !== 'unavailable' || recheckTrust,
        )
      }
    }

    const flush = () => {
      const b = rows.take(asset.id, Date.now())
      if (!b) return
      lastSampleAt = b.t[b.t.length - 1]!
      health.samples(b.t.length, lastSampleAt)
      out.batch(b)
    }
    const flusher = setInterval(flush, Math.max(20, Math.min(100, cfg.holdMs / 2)))
    // A link that died without a word (cable, firewall) answers nothing: no data, no keepalive.
    const silentMs = 2 * cfg.keepaliveMs + publishingIntervalMs
    const watchdog = setInterval(
      () => {
        if (current && Date.now() - lastAlive > silentMs)
          lost(`no publish response or keepalive for ${(silentMs / 1000).toFixed(1)} s`)
      },
      Math.min(1000, cfg.keepaliveMs),
    )
    const status = setInterval(() => health.tick(), cfg.statusEveryMs)
    // Trusted through the contract: no need to wait out the backoff.
    const offTrust = onTrust((dir) => {
      if (dir !== pkiDir || !recheckTrust || timer === undefined || stopped) return
      clearTimeout(timer)
      timer = undefined
      delay = cfg.reconnect.minMs
      connecting = connect()
    })
    connecting = connect()

    return {
      async stop() {
        stopped = true
        offTrust()
        clearTimeout(timer)
        clearInterval(flusher)
        clearInterval(watchdog)
        clearInterval(status)
        // An attempt under way sees `stopped` at its next step and closes what it opened.
        let bound: NodeJS.Timeout | undefined
        await Promise.race([connecting, new Promise((r) => (bound = setTimeout(r, 5000)))])
        clearTimeout(bound)
        const c = current
        current = null
        if (c) {
          await c.sub.close()
          await c.s.close()
        }
        flush()
        health.stopped()
      },
    }
  },
}

function kindOf(v: unknown): string {
  if (typeof v === 'string') return `text ("${v.slice(0, 40)}")`
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return 'an array'
  return typeof v === 'object' ? 'a structure' : typeof v
}
