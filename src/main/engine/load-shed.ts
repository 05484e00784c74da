import type { LoadStatus } from '../../shared/contract.ts'
import type { Pipeline } from '../pipeline/pipeline.ts'

export interface LoadShedOptions {
  /** Samples (timestamps) the pipeline may hold; a batch that would pass it skips the pipeline. Default 100,000. */
  queueBound?: number
  /**
   * The oldest batch waiting longer than this, or the main thread this late for the check
   * (it is too busy to run its timers), ms, takes the next stage. Default 500.
   */
  highMs?: number
  /** Below this wait (and a queue under a quarter of its bound) for calmChecks checks in a row, a stage is given back. Default 100. */
  lowMs?: number
  /** How often the load is looked at, ms. Default 250. */
  checkMs?: number
  calmChecks?: number
}

/** Stage -> stride of model windows; stage 1 only makes live updates coarse. */
const STRIDES = [1, 1, 2, 4, 8, 16, 30]
const liveInterval = (stage: number) => (stage === 0 ? 0 : stage === 1 ? 500 : 1000)

export interface Shedding {
  /** False when a batch of `rows` would push the queue past its bound: store it raw instead. */
  admit(rows: number): boolean
  /** A batch that skipped the pipeline and went to the store unchecked. */
  bypassed(rows: number): void
  status(): LoadStatus
  stop(): void
}

/**
 * Watches the pipeline's queue and sheds load in a stated order, one step per check, so a
 * burst shows every stage on its way up and again on its way down: (1) live updates to
 * clients coarse, (2..6) model windows strided 2, 4, 8, 16, 30. Raw samples are never shed;
 * only a batch that would overflow the bounded queue skips validation and scoring, and it is
 * still stored. Every change of stage is reported through onStage (a system status).
 */
export function createShedding(
  pipeline: Pick<Pipeline, 'queuedSamples' | 'oldestMs' | 'setStride' | 'calls' | 'utilization' | 'sessions'>,
  live: { setLiveInterval(ms: number): void; readonly merged: number },
  onStage: (s: LoadStatus) => void,
  o: LoadShedOptions = {},
): Shedding {
  const bound = o.queueBound ?? 100_000
  const highMs = o.highMs ?? 500
  const lowMs = o.lowMs ?? 100
  const calmChecks = o.calmChecks ?? 4
  const checkMs = o.checkMs ?? 250
  const entered = STRIDES.map(() => 0)
  let stage = 0
  let since = Date.now()
  let peak = 0
  let calm = 0
  let unchecked = 0
  let bypassedSinceCheck = 0
  /** What took the last stage up, in words: operators and the soak ask why it shed. */
  let cause = ''
  // The threads load their models on the first batches; that wait is start-up, not overload.
  let armed = false

  const message = () => {
    if (stage === 0) return ''
    const parts = [
      `load above capacity (${cause}), stage ${stage}: live updates every ${liveInterval(stage)} ms`,
    ]
    if (STRIDES[stage]! > 1) parts.push(`1 in ${STRIDES[stage]} model windows scored`)
    return `${parts.join('; ')}; every raw sample is still stored`
  }

  const status = (threads = true): LoadStatus => {
    const c = pipeline.calls()
    return {
      stage,
      stride: STRIDES[stage]!,
      liveIntervalMs: liveInterval(stage),
      message: message(),
      since,
      queue: { samples: pipeline.queuedSamples(), peak, bound, oldestMs: pipeline.oldestMs() },
      shed: { liveMessagesMerged: live.merged, windowsSkipped: c.skipped, samplesUnchecked: unchecked },
      models: {
        ms: c.modelMs,
        cpuMs: c.modelCpuMs,
        calls: c.calls,
        windows: c.windows,
        sessions: pipeline.sessions(),
      },
      threads: threads ? pipeline.utilization() : [],
      entered: [...entered],
    }
  }

  const go = (next: number) => {
    stage = next
    entered[stage]!++
    since = Date.now()
    calm = 0
    pipeline.setStride(STRIDES[stage]!)
    live.setLiveInterval(liveInterval(stage))
    onStage(status(false))
  }

  let due = performance.now() + checkMs
  const check = () => {
    const now = performance.now()
    const late = now - due
    due = now + checkMs
    const q = pipeline.queuedSamples()
    const age = pipeline.oldestMs()
    peak = Math.max(peak, q)
    const why = [
      age > highMs ? `oldest batch waited ${Math.round(age)} ms` : '',
      late > highMs ? `main thread ${Math.round(late)} ms late` : '',
      q > bound / 2 ? `${q} samples queued of ${bound}` : '',
      bypassedSinceCheck > 0 ? `${bypassedSinceCheck} samples past the full queue` : '',
    ].filter(Boolean)
    const over = why.length > 0
    bypassedSinceCheck = 0
    const quiet = age < lowMs && late < lowMs && q < bound / 4
    if (!armed) {
      armed = quiet
      return
    }
    if (over) {
      cause = why.join(', ')
      if (stage < STRIDES.length - 1) go(stage + 1)
      else calm = 0
    } else if (quiet) {
      if (++calm >= calmChecks && stage > 0) go(stage - 1)
    } else calm = 0
  }
  const timer = setInterval(check, checkMs)
  timer.unref()

  return {
    admit(rows) {
      const q = pipeline.queuedSamples() + rows
      if (q > bound) return false
      peak = Math.max(peak, q)
      return true
    },
    bypassed(rows) {
      unchecked += rows
      bypassedSinceCheck += rows
    },
    status: () => status(),
    stop() {
      clearInterval(timer)
      live.setLiveInterval(0)
    },
  }
}
