import type { Req } from '../../../shared/contract.ts'
import { VigilError } from '../../../shared/errors.ts'
import type { SetpointInfo } from '../../../shared/setpoints.ts'
import type { SourceHandle } from '../source.ts'

/** The engine's handler for sim.setpoint (shared/sim-channels.ts); the audit trail records each call. */
export function simHandlers(sources: ReadonlyMap<string, SourceHandle>) {
  return {
    'sim.setpoint': ({ assetId, tag, value }: Req<'sim.setpoint'>): { setpoints: SetpointInfo[] } => {
      const h = sources.get(assetId)
      if (!h) throw new VigilError('not-found', `no asset "${assetId}" in the plant`)
      const sp = h.setpoints
      if (!sp)
        throw new VigilError(
          'bad-request',
          `asset "${assetId}" takes no setpoints: only a simulated asset with setpoints (the compressor) does, and Vigil never writes to a real plant`,
        )
      if (value === undefined) return { setpoints: sp.list() }
      return { setpoints: value === null ? sp.release(tag) : sp.set(tag!, value) }
    },
  }
}
