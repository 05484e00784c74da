import { HttpSource } from '../../shared/ingest-config.ts'
import type { SourceKind } from '../sources/source.ts'
import { OutOfOrderError } from './ingest-bus.ts'

/**
 * An asset whose devices push readings (POST /api/ingest, ingest-route.ts). The source is
 * passive: it attaches a sink to the engine's ingest bus and hands what arrives to the same
 * pipeline as every other source. Running while readings come, stale after staleAfterS of
 * silence (its source alarm tells the operator they are blind), running again on the next.
 */
export const http: SourceKind<typeof HttpSource> = {
  kind: 'http',
  config: HttpSource,
  start(cfg, asset, out, ctx) {
    const bus = ctx?.ingest
    if (!bus) {
      out.status({ state: 'failed', message: 'this engine takes no pushed readings (no ingest bus)' })
      return { stop: async () => out.status({ state: 'stopped' }) }
    }
    const staleMs = cfg.staleAfterS * 1000
    let last = -Infinity
    let lastArrival = Date.now()
    let stale = false

    const detach = bus.attach(asset.id, {
      tags: asset.tags.map((t) => t.id),
      accept(t, values) {
        const n = t.length
        if (!(t[0]! > last))
          throw new OutOfOrderError(
            `asset ${asset.id}: timestamp ${new Date(t[0]!).toISOString()} is not after the last accepted reading (${new Date(last).toISOString()})`,
          )
        last = t[n - 1]!
        lastArrival = Date.now()
        out.batch({ assetId: asset.id, t, values })
        if (stale) {
          stale = false
          out.status({ state: 'running', message: 'readings arrive again' })
        }
        return n
      },
    })
    const timer = setInterval(
      () => {
        if (stale || Date.now() - lastArrival <= staleMs) return
        stale = true
        out.status({ state: 'stale', message: `no reading for ${cfg.staleAfterS} s` })
      },
      Math.min(5000, staleMs / 2),
    )
    timer.unref()
    out.status({ state: 'running', message: 'waiting for readings (POST /api/ingest under `vigil serve`)' })

    return {
      async stop() {
        clearInterval(timer)
        detach()
        out.status({ state: 'stopped' })
      },
    }
  },
}
