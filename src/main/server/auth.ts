import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

export const COOKIE = 'vigil_token'

export const newToken = () => randomBytes(24).toString('base64url')

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

export function cookieToken(req: IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === COOKIE) return v.join('=')
  }
  return null
}

/** Where a request's token came from, or null when it has none that matches. */
export function authenticate(req: IncomingMessage, url: URL, token: string): 'query' | 'cookie' | null {
  const q = url.searchParams.get('token')
  if (q !== null && sameSecret(q, token)) return 'query'
  const c = cookieToken(req)
  if (c !== null && sameSecret(c, token)) return 'cookie'
  const h = req.headers.authorization
  if (h?.startsWith('Bearer ') && sameSecret(h.slice(7), token)) return 'cookie'
  return null
}

/** Every token a request presents (query, cookie, bearer), or null when it presents none. */
export function presentedToken(req: IncomingMessage, url: URL): string | null {
  const h = req.headers.authorization
  const found = [
    url.searchParams.get('token'),
    cookieToken(req),
    h?.startsWith('Bearer ') ? h.slice(7) : null,
  ]
  const given = found.filter((t): t is string => t !== null)
  return given.length ? given.join('\n') : null
}

/**
 * A browser always sends Origin on a WebSocket upgrade; it must be this server's own, so a
 * page from another site cannot ride the user's cookie. Non-browser clients send none and
 * must carry the token themselves.
 */
export function originAllowed(req: IncomingMessage): boolean {
  const origin = req.headers.origin
  if (origin === undefined) return true
  return origin === `http://${req.headers.host}` || origin === `https://${req.headers.host}`
}
