/**
 * Requests per key as a token bucket: `ratePerS` a second on average, bursts of twice that
 * (at least 2). A device that overruns is told how long to wait (429, Retry-After) instead of
 * filling the pipeline; one device's flood leaves the others their own buckets.
 */
export class KeyLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>()
  private readonly now: () => number

  constructor(now: () => number = Date.now) {
    this.now = now
  }

  /** 0 when the request may go ahead (and it is counted); else whole seconds to wait. */
  take(device: string, ratePerS: number): number {
    const now = this.now()
    const burst = Math.max(2, 2 * ratePerS)
    const b = this.buckets.get(device) ?? { tokens: burst, at: now }
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * ratePerS)
    b.at = now
    this.buckets.set(device, b)
    if (b.tokens >= 1) {
      b.tokens -= 1
      return 0
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / ratePerS))
  }
}
