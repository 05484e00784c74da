import { STATUS_CODES, type IncomingMessage } from 'node:http'
import { authenticate, originAllowed, presentedToken } from './auth.ts'
import { FailureLimiter, remoteAddress } from './rate-limit.ts'

export type Verdict =
  | { ok: true; via: 'query' | 'cookie' }
  | { ok: false; status: number; headers: Record<string, string>; text: string }

const refuse = (status: number, text: string, headers: Record<string, string> = {}): Verdict => ({
  ok: false,
  status,
  headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers },
  text,
})

/** The request's URL, or null when its target cannot be parsed (an absolute-form "http://[" would throw). */
export function requestUrl(req: IncomingMessage): URL | null {
  return URL.parse(req.url ?? '/', 'http://local')
}

/** "429 Too Many Requests": the status line of a refused upgrade, which has no response object. */
export const statusLine = (status: number) => `${status} ${STATUS_CODES[status] ?? 'Error'}`

/**
 * Who may in, for every HTTP request and WebSocket upgrade alike: an address that made too
 * many wrong guesses is refused (429, Retry-After) before its token is even compared; then
 * the token is required; an upgrade from a browser must also come from this server's page.
 */
export function createGate(token: string, limiter: FailureLimiter) {
  return function admit(req: IncomingMessage, url: URL, upgrade: boolean): Verdict {
    const address = remoteAddress(req.socket)
    const wait = limiter.retryAfter(address)
    if (wait)
      return refuse(429, `Too many wrong access tokens from ${address}: try again in ${wait} s.\n`, {
        'Retry-After': String(wait),
      })
    const via = authenticate(req, url, token)
    if (!via) {
      const guess = presentedToken(req, url)
      if (guess !== null) limiter.fail(address, guess)
      return refuse(
        401,
        'Vigil needs its access token: open the URL that `vigil serve` printed (it ends in ?token=...).\n',
      )
    }
    limiter.succeeded(address)
    if (upgrade && !originAllowed(req)) return refuse(403, 'This page may not connect to Vigil.\n')
    return { ok: true, via }
  }
}
