import { describe, expect, it } from 'vitest'
import { FailureLimiter, remoteAddress } from './rate-limit.ts'

function limiter(max = 10, windowMs = 60_000) {
  const clock = { t: 1_000_000 }
  return { clock, l: new FailureLimiter({ max, windowMs, now: () => clock.t, maxAddresses: 3 }) }
}

describe('FailureLimiter', () => {
  it('refuses an address after ten distinct wrong guesses in a minute, until the minute is over', () => {
    const { clock, l } = limiter()
    for (let i = 0; i < 9; i++) expect(l.fail('10.0.0.1', `guess-${i}`)).toBe(0)
    expect(l.retryAfter('10.0.0.1')).toBe(0)
    expect(l.fail('10.0.0.1', 'guess-9')).toBe(60)
    clock.t += 45_500
    expect(l.retryAfter('10.0.0.1')).toBe(15)
    expect(l.retryAfter('10.0.0.2')).toBe(0)
    clock.t += 14_500
    expect(l.retryAfter('10.0.0.1')).toBe(0)
    expect(l.fail('10.0.0.1', 'guess-10')).toBe(0)
  })

  it('does not count the same wrong guess twice, so a stale browser tab cannot lock its user out', () => {
    const { l } = limiter()
    for (let i = 0; i < 100; i++) l.fail('10.0.0.1', 'old-token')
    expect(l.retryAfter('10.0.0.1')).toBe(0)
  })

  it('clears an address once it gets it right', () => {
    const { l } = limiter(3)
    l.fail('a', '1')
    l.fail('a', '2')
    l.succeeded('a')
    l.fail('a', '3')
    l.fail('a', '4')
    expect(l.retryAfter('a')).toBe(0)
  })

  it('remembers a bounded number of addresses, forgetting the oldest first', () => {
    const { l } = limiter(1)
    for (const a of ['a', 'b', 'c', 'd']) l.fail(a, 'x')
    expect(l.retryAfter('a')).toBe(0)
    expect(l.retryAfter('d')).toBeGreaterThan(0)
    expect(l.retryAfter('b')).toBeGreaterThan(0)
  })

  it('writes IPv4-mapped IPv6 peers as IPv4, so both spellings share one count', () => {
    expect(remoteAddress({ remoteAddress: '::ffff:127.0.0.1' })).toBe('127.0.0.1')
    expect(remoteAddress({ remoteAddress: '::1' })).toBe('::1')
    expect(remoteAddress({})).toBe('unknown')
  })
})
