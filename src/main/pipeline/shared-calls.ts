import type { ScoreBatch } from '../../shared/samples.ts'
import type { Autoencoder } from '../models/autoencoder.ts'
import type { Assembled, AssetScoring } from './asset-scoring.ts'

/** One batch of one asset for one of its scorers. */
export interface ScoreItem {
  scorer: AssetScoring
  t: Float64Array
  values: Float64Array[]
  quality: Uint8Array[]
}

export interface CallStats {
  /** Time inside the model calls, ms: wall clock, and this thread's CPU time. */
  modelMs: number
  modelCpuMs: number
  calls: number
  windows: number
  /** Windows the stride left unscored (load shedding). */
  skipped: number
}

/**
 * Windows per model call, at most, as the pipeline runs (chosen with bench/score.bench.ts,
 * which measures 16, 32, 64 and 128): a call of <= 32 pump windows holds its thread ~1-2 ms,
 * against ~10 ms for one call of 100, and the path still scores ~85% of bare batch-32
 * windows per CPU second (16: ~78%, 128: ~93%). Past 32 a call wins a few per cent per window
 * and costs its length in every batch's latency.
 */
export const MAX_WINDOWS_PER_CALL = 32

/** Told of each model call as it ends: its windows and its wall time, ms (the bench's per-call p99). */
export type OnCall = (windows: number, ms: number) => void

/**
 * Scores the new windows of many assets in as few model calls as `maxWindows` allows: every
 * asset that uses the same detector writes its windows into one buffer, which goes to
 * onnxruntime in chunks of equal size (100 windows at a cap of 32 are 4 calls of 25, not 3 of
 * 32 and one of 4: the longest call is what a thread's latency feels). A call's fixed cost
 * (~0.15 ms for the pump autoencoder) then spreads over its windows instead of landing on
 * each; maxWindows = 1 is the unbatched baseline. Buffers are per detector and reused.
 */
export class SharedCalls {
  private readonly buffers = new Map<Autoencoder, Float64Array>()
  private readonly onCall: OnCall | undefined

  constructor(opts: { onCall?: OnCall } = {}) {
    this.onCall = opts.onCall
  }

  /** The ScoreBatch of each item (null when it completed no window), in item order. */
  async run(items: ScoreItem[], maxWindows: number, stats: CallStats): Promise<(ScoreBatch | null)[]> {
    const out: (ScoreBatch | null)[] = items.map(() => null)
    const byModel = new Map<Autoencoder, number[]>()
    items.forEach((it, i) => {
      const list = byModel.get(it.scorer.ae)
      if (list) list.push(i)
      else byModel.set(it.scorer.ae, [i])
    })
    for (const [ae, idx] of byModel) {
      const per = ae.window * ae.tags.length
      const F = ae.tags.length
      let rows = 0
      for (const i of idx) rows += items[i]!.t.length
      let buf = this.buffers.get(ae)
      if (!buf || buf.length < rows * per) {
        buf = new Float64Array(rows * per)
        this.buffers.set(ae, buf)
      }
      // An asset's batches assemble in task order, so its window state runs on unbroken.
      const assembled: Assembled[] = []
      let N = 0
      for (const i of idx) {
        const it = items[i]!
        const before = it.scorer.skipped
        const a = it.scorer.assemble(it.t, it.values, it.quality, buf.subarray(N * per))
        stats.skipped += it.scorer.skipped - before
        assembled.push(a)
        N += a.n
      }
      if (N === 0) continue
      const cap = Math.max(1, Math.floor(maxWindows))
      const step = Math.ceil(N / Math.ceil(N / cap))
      const started = performance.now()
      const cpu0 = process.threadCpuUsage()
      let score: Float64Array
      let contrib: Float64Array
      if (step >= N) {
        // One call: its own arrays are the answer, no copy.
        const r = await this.call(ae, buf.subarray(0, N * per), N)
        score = r.score
        contrib = r.contrib
        stats.calls++
      } else {
        score = new Float64Array(N)
        contrib = new Float64Array(N * F)
        for (let c = 0; c < N; c += step) {
          const k = Math.min(step, N - c)
          const r = await this.call(ae, buf.subarray(c * per, (c + k) * per), k)
          score.set(r.score, c)
          contrib.set(r.contrib, c * F)
          stats.calls++
        }
      }
      const ms = performance.now() - started
      const cpu = process.threadCpuUsage(cpu0)
      stats.modelMs += ms
      stats.modelCpuMs += (cpu.user + cpu.system) / 1000
      stats.windows += N
      let at = 0
      idx.forEach((i, j) => {
        const a = assembled[j]!
        if (a.n > 0) out[i] = items[i]!.scorer.finish(a, score, contrib, at, ms / N)
        at += a.n
      })
    }
    return out
  }

  private async call(ae: Autoencoder, windows: Float64Array, n: number) {
    if (!this.onCall) return ae.score(windows, n)
    const t0 = performance.now()
    const r = await ae.score(windows, n)
    this.onCall(n, performance.now() - t0)
    return r
  }
}
