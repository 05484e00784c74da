import type { SourceStatus } from '../../shared/samples.ts'

const SPAN_S = 10

interface Flow {
  /** Samples per wall second, the last SPAN_S seconds, by second modulo SPAN_S. */
  counts: Float64Array
  second: number
  since: number
  lastSampleAt?: number
  lastError?: { message: string; at: number }
  /** The source reports its own rate (MQTT): the meter leaves its figures alone. */
  own: boolean
}

/**
 * Samples per second and the newest sample's time for every source, whatever its kind, from
 * the batches the engine receives, so a simulator, a replay and a pushed HTTP feed report
 * them as a network source does. A source that measures them itself (MQTT) keeps its own.
 * Also remembers each source's last failure, which its status keeps after it recovers.
 */
export class SourceMeter {
  private readonly flows = new Map<string, Flow>()
  private readonly now: () => number

  constructor(now: () => number = Date.now) {
    this.now = now
  }

  private flow(assetId: string): Flow {
    let f = this.flows.get(assetId)
    if (!f) {
      const now = this.now()
      f = { counts: new Float64Array(SPAN_S), second: Math.floor(now / 1000), since: now, own: false }
      this.flows.set(assetId, f)
    }
    return f
  }

  /** Clears the buckets of the seconds that passed without samples. */
  private advance(f: Flow, now: number): void {
    const second = Math.floor(now / 1000)
    for (let s = f.second + 1; s <= Math.min(second, f.second + SPAN_S); s++) f.counts[s % SPAN_S] = 0
    f.second = Math.max(f.second, second)
  }

  /** A batch of n samples, the newest stamped lastT, arrived from the asset's source. */
  seen(assetId: string, n: number, lastT: number): void {
    const f = this.flow(assetId)
    this.advance(f, this.now())
    f.counts[f.second % SPAN_S]! += n
    if (!(lastT <= (f.lastSampleAt ?? -Infinity))) f.lastSampleAt = lastT
  }

  /** Records a status as the source sends it (a failure is remembered) and returns it filled. */
  report(s: SourceStatus): SourceStatus {
    const f = this.flow(s.assetId)
    if (s.samplesPerS !== undefined) f.own = true
    if (s.state === 'failed' || s.state === 'stale') f.lastError = { message: s.message ?? s.state, at: s.at }
    return this.fill(s)
  }

  /** The status with samples/s and last sample time now (unless the source measures its own) and the last error. */
  fill(s: SourceStatus): SourceStatus {
    const f = this.flow(s.assetId)
    const now = this.now()
    this.advance(f, now)
    let sum = 0
    for (let i = 0; i < SPAN_S; i++) sum += f.counts[i]!
    // The buckets span the last SPAN_S - 1 seconds and the current one's part; a young meter, its age.
    const span = Math.max(1, Math.min(SPAN_S - 1 + (now % 1000) / 1000, (now - f.since) / 1000))
    const out = { ...s }
    if (!f.own) {
      out.samplesPerS = sum / span
      if (f.lastSampleAt !== undefined) out.lastSampleAt = f.lastSampleAt
    }
    if (out.lastError === undefined && f.lastError) out.lastError = f.lastError
    return out
  }
}
