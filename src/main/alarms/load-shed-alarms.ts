import type { LoadStatus } from '../../shared/contract.ts'
import { LOAD_SHED_ALARMS } from './alarm-defs.ts'
import type { AlarmSet } from './alarm-set.ts'

/**
 * Turns the engine's shedding stage into its two system alarms: live updates coarse from
 * stage 1, model windows strided from stage 2 (load-shed.ts states the order). Each activates
 * with a message naming what is shed, and clears when shedding steps back below its stage.
 */
export class LoadShedAlarms {
  private readonly set: AlarmSet

  constructor(set: AlarmSet) {
    this.set = set
  }

  /** A change of shedding stage; `at` is when it happened (epoch ms). */
  stage(s: Pick<LoadStatus, 'stage' | 'stride' | 'liveIntervalMs'>, at: number): void {
    const live = this.set.byId.get(LOAD_SHED_ALARMS.live)
    const models = this.set.byId.get(LOAD_SHED_ALARMS.models)
    const raw = 'every raw sample is still stored'
    if (live) {
      const on = s.stage >= 1
      const msg = `system: engine load above capacity: live updates to clients merged and sent every ${s.liveIntervalMs} ms instead of with every batch; ${raw}`
      this.set.apply(live, { kind: 'condition', active: on }, at, s.liveIntervalMs, on ? msg : undefined)
    }
    if (models) {
      const on = s.stride > 1
      // The stride keeps doubling while the load stays high; the message names the first one.
      const msg = `system: engine load above capacity: only 1 in ${s.stride} model windows scored (more skipped while it stays high), so an anomaly may be caught late; ${raw}`
      this.set.apply(models, { kind: 'condition', active: on }, at, s.stride, on ? msg : undefined)
    }
  }
}
