import { createHash } from 'node:crypto'

export interface LimiterOptions {
  /** Distinct wrong guesses an address may make per window. */
  max?: number
  windowMs?: number
  /** Addresses remembered at most; the oldest are forgotten first, so a flood of addresses cannot fill memory. */
  maxAddresses?: number
  now?: () => number
}

interface Entry {
  since: number
  guesses: Set<string>
}

/**
 * Failed guesses (of the access token, or of a password at sign-in) per remote address: after
 * `max` distinct wrong guesses in a window the address is refused until the window ends.
 * Only distinct guesses count, so a forgotten browser tab retrying an old token every few
 * seconds does not lock its user out, while an attacker gains nothing from repeating a guess.
 */
export class FailureLimiter {
  private readonly max: number
  private readonly windowMs: number
  private readonly maxAddresses: number
  private readonly now: () => number
  private readonly entries = new Map<string, Entry>()

  constructor(opts: LimiterOptions = {}) {
    this.max = opts.max ?? 10
    this.windowMs = opts.windowMs ?? 60_000
    this.maxAddresses = opts.maxAddresses ?? 10_000
    this.now = opts.now ?? Date.now
  }

  /** Whole seconds before `address` may try again; 0 when it may now. */
  retryAfter(address: string): number {
    const e = this.current(address)
    if (!e || e.guesses.size < this.max) return 0
    return Math.max(1, Math.ceil((e.since + this.windowMs - this.now()) / 1000))
  }

  /** Counts a wrong guess; returns retryAfter once counted. */
  fail(address: string, guess: string): number {
    let e = this.current(address)
    if (!e) {
      if (this.entries.size >= this.maxAddresses) this.forgetOldest()
      e = { since: this.now(), guesses: new Set() }
      this.entries.set(address, e)
    }
    // A digest, so what is kept per address is small and holds no guessed secret.
    if (e.guesses.size < this.max) e.guesses.add(createHash('sha256').update(guess).digest('base64url'))
    return this.retryAfter(address)
  }

  /** A right guess clears the address's count. */
  succeeded(address: string): void {
    this.entries.delete(address)
  }

  private current(address: string): Entry | undefined {
    const e = this.entries.get(address)
    if (e && this.now() - e.since >= this.windowMs) {
      this.entries.delete(address)
      return undefined
    }
    return e
  }

  private forgetOldest(): void {
    const now = this.now()
    for (const [k, e] of this.entries) if (now - e.since >= this.windowMs) this.entries.delete(k)
    while (this.entries.size >= this.maxAddresses) this.entries.delete(this.entries.keys().next().value!)
  }
}

/** The peer's address, with IPv4-mapped IPv6 ("::ffff:1.2.3.4") written as plain IPv4. */
export function remoteAddress(socket: { remoteAddress?: string }): string {
  const a = socket.remoteAddress ?? 'unknown'
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a
}
