import { VigilError } from '../../../shared/errors.ts'
import { SimulatorSource } from '../../../shared/plant.ts'
import type { SourceKind } from '../source.ts'
import { createRun, fillPump } from './generate.ts'
import { PUMP_TAGS, pumpTimeMs } from './pump-physics.ts'

export { generatePump, type GenerateOptions } from './generate.ts'
export { PUMP_TAGS } from './pump-physics.ts'

/** A backlog past this much wall time (a suspended laptop, a debugger) is skipped, not replayed. */
const MAX_BACKLOG_S = 5

/**
 * The pump P-101, live. Samples carry simulated time: start wall time plus simulated
 * elapsed, so at speed 1 they track the clock and at speed 60 an hour passes in a minute.
 */
export const simulator: SourceKind<typeof SimulatorSource> = {
  kind: 'simulator',
  config: SimulatorSource,
  start(cfg, asset, out) {
    const pumpIndex = asset.tags.map((tag) => PUMP_TAGS.indexOf(tag.id as (typeof PUMP_TAGS)[number]))
    const unknown = asset.tags.find((_, i) => pumpIndex[i]! < 0)
    if (unknown)
      throw new VigilError(
        'config.invalid',
        `asset ${asset.id}: tag "${unknown.id}" is not one the pump simulator produces (${PUMP_TAGS.join(', ')})`,
      )
    const wall0 = Date.now()
    const run = createRun(cfg.seed, wall0, cfg.rateHz)
    const perWallS = cfg.rateHz * cfg.speed
    const tickMs = Math.min(1000, Math.max(100, 1000 / perWallS))
    // Pump columns the asset does not list are still computed (the physics needs them), into scratch.
    let scratch = new Float64Array(0)

    const tick = () => {
      const due = Math.floor(((Date.now() - wall0) / 1000) * perWallS)
      let n = due - run.pump.count
      if (n <= 0) return
      const maxBacklog = Math.max(10, Math.ceil(perWallS * MAX_BACKLOG_S))
      if (n > maxBacklog) {
        const skip = n - Math.ceil(perWallS)
        run.pump.count += skip
        n -= skip
        out.status({ state: 'running', message: `skipped ${skip} samples after a pause in the process` })
      }
      if (scratch.length < n) scratch = new Float64Array(n)
      const t = new Float64Array(n)
      const values = asset.tags.map(() => new Float64Array(n))
      const cols = PUMP_TAGS.map((_, j) => {
        const k = pumpIndex.indexOf(j)
        return k >= 0 ? values[k]! : scratch
      })
      fillPump(run, t, cols, 0, n)
      out.batch({ assetId: asset.id, t, values })
    }
    const timer = setInterval(tick, tickMs)
    out.status({ state: 'running' })

    return {
      async stop() {
        clearInterval(timer)
        out.status({ state: 'stopped' })
      },
      faults: {
        inject(f) {
          if (f.tag !== undefined && !asset.tags.some((tag) => tag.id === f.tag))
            throw new VigilError(
              'bad-request',
              `asset ${asset.id} has no tag "${f.tag}" to inject ${f.kind} on`,
            )
          return run.faults.inject(f, pumpTimeMs(run.pump))
        },
        clear: (kind) => run.faults.clear(kind),
        active: () => run.faults.active(),
      },
    }
  },
}
