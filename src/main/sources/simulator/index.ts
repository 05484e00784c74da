import { VigilError } from '../../../shared/errors.ts'
import { SimulatorSource } from '../../../shared/plant.ts'
import type { SourceKind } from '../source.ts'
import { createSimRun, simTimeMs } from './sim-run.ts'

export { generatePump, type GenerateOptions } from './generate.ts'
export { PUMP_TAGS } from './pump-physics.ts'
export { COMPRESSOR_TAGS } from './compressor-physics.ts'
export { generateCompressor, remainingLife, type CompressorGenerateOptions } from './compressor-run.ts'
export { CASTER_TAGS } from './caster-physics.ts'
export { generateCasts, type CastGenerateOptions, type CastRecord } from './caster-run.ts'
export type { CastOutcome } from './caster-defects.ts'

/** A backlog past this much wall time (a suspended laptop, a debugger) is skipped, not replayed. */
const MAX_BACKLOG_S = 5

/**
 * A simulated asset, live: pump P-101, compressor C-201 or caster CC-1 (cfg.model). Samples
 * carry simulated time: start wall time plus simulated elapsed, so at speed 1 they track
 * the clock and at speed 60 an hour passes in a minute.
 */
export const simulator: SourceKind<typeof SimulatorSource> = {
  kind: 'simulator',
  config: SimulatorSource,
  start(cfg, asset, out) {
    const wall0 = Date.now()
    const run = createSimRun(cfg.model, cfg.seed, wall0, cfg.rateHz)
    const { tags, clock } = run
    const modelIndex = asset.tags.map((tag) => tags.indexOf(tag.id))
    const unknown = asset.tags.find((_, i) => modelIndex[i]! < 0)
    if (unknown)
      throw new VigilError(
        'config.invalid',
        `asset ${asset.id}: tag "${unknown.id}" is not one the ${cfg.model} simulator produces (${tags.join(', ')})`,
      )
    const perWallS = cfg.rateHz * cfg.speed
    const tickMs = Math.min(1000, Math.max(100, 1000 / perWallS))
    // Model columns the asset does not list are still computed (the physics needs them), into scratch.
    let scratch = new Float64Array(0)

    const tick = () => {
      const due = Math.floor(((Date.now() - wall0) / 1000) * perWallS)
      let n = due - clock.count
      if (n <= 0) return
      const maxBacklog = Math.max(10, Math.ceil(perWallS * MAX_BACKLOG_S))
      if (n > maxBacklog) {
        const skip = n - Math.ceil(perWallS)
        clock.count += skip
        n -= skip
        out.status({ state: 'running', message: `skipped ${skip} samples after a pause in the process` })
      }
      if (scratch.length < n) scratch = new Float64Array(n)
      const t = new Float64Array(n)
      const values = asset.tags.map(() => new Float64Array(n))
      const cols = tags.map((_, j) => {
        const k = modelIndex.indexOf(j)
        return k >= 0 ? values[k]! : scratch
      })
      run.fill(t, cols, 0, n)
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
          return run.faults.inject(f, simTimeMs(clock))
        },
        clear: (kind) => run.faults.clear(kind),
        active: () => run.faults.active(),
      },
      ...(run.setpoints && { setpoints: run.setpoints }),
    }
  },
}
