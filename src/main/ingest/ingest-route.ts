import type { IncomingMessage, ServerResponse } from 'node:http'
import { VigilError } from '../../shared/errors.ts'
import { originAllowed } from '../server/auth.ts'
import type { HttpRoute } from '../server/headless-server.ts'
import { FailureLimiter, remoteAddress } from '../server/rate-limit.ts'
import { IngestSchemaError, readRows, readTarget, type FieldProblem } from './ingest-body.ts'
import { OutOfOrderError, type IngestBus } from './ingest-bus.ts'
import type { IngestKeys } from './ingest-keys.ts'
import { KeyLimiter } from './key-limiter.ts'

export const INGEST_PATH = '/api/ingest'
const MAX_BYTES = 8 * 1024 * 1024

export interface IngestRouteOptions {
  bus: IngestBus
  keys: IngestKeys
  /** Requests per device key (its rate is on the key). */
  limiter?: KeyLimiter
  /** Wrong keys per address: 10 distinct guesses a minute, then 429, as for the access token. */
  guesses?: FailureLimiter
  maxBytes?: number
}

type Answer = { status: number; body: object; headers?: Record<string, string> }
const refuse = (status: number, error: string, message: string, fields?: FieldProblem[]): Answer => ({
  status,
  body: fields ? { error, message, fields } : { error, message },
})

/**
 * POST /api/ingest for `vigil serve`: a device's API key (Authorization: Bearer, or
 * X-Api-Key) instead of the access token, then its rate, then the body. Refusals say what to
 * fix: 401 key, 403 asset not the key's, 404 asset not fed over HTTP, 400 with the fields,
 * 409 a time already taken, 413 too large, 415 not JSON, 429 with Retry-After.
 */
export function ingestRoute(o: IngestRouteOptions): HttpRoute {
  const limiter = o.limiter ?? new KeyLimiter()
  const guesses = o.guesses ?? new FailureLimiter()
  const maxBytes = o.maxBytes ?? MAX_BYTES

  const admit = (req: IncomingMessage): Answer | { device: string; asset: string } => {
    if (req.method !== 'POST')
      return { ...refuse(405, 'method', `${INGEST_PATH} takes POST`), headers: { Allow: 'POST' } }
    if (!originAllowed(req)) return refuse(403, 'forbidden', 'a page from another site may not post readings')
    const address = remoteAddress(req.socket)
    const wait = guesses.retryAfter(address)
    if (wait) return tooMany(wait, `too many wrong API keys from ${address}`)
    const auth = req.headers.authorization
    const key = auth?.startsWith('Bearer ') ? auth.slice(7) : req.headers['x-api-key']
    if (typeof key !== 'string' || key === '')
      return refuse(
        401,
        'unauthorized',
        'send the device API key as "Authorization: Bearer <key>" or "X-Api-Key"',
      )
    const info = o.keys.lookup(key)
    if (!info) {
      guesses.fail(address, key)
      return refuse(401, 'unauthorized', 'this API key is not known (`vigil ingest-key list`)')
    }
    const busy = limiter.take(info.device, info.ratePerS)
    if (busy) return tooMany(busy, `device ${info.device} is over its ${info.ratePerS} requests/s`)
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
      return refuse(415, 'unsupported', 'send the readings as JSON (Content-Type: application/json)')
    if (Number(req.headers['content-length'] ?? 0) > maxBytes) return tooLarge(maxBytes)
    return info
  }

  const ingest = (text: string, who: { device: string; asset: string }): Answer => {
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch (e) {
      return refuse(400, 'bad-request', `the body is not JSON: ${(e as Error).message}`, [
        { field: '', problem: 'is not JSON' },
      ])
    }
    try {
      const { asset, device, body } = readTarget(raw)
      if (device !== undefined && device !== who.device)
        return refuse(403, 'forbidden', `this key is device ${who.device}'s, not "${device}"'s`)
      if (asset !== undefined && asset !== who.asset)
        return refuse(
          403,
          'forbidden',
          `device ${who.device} may write asset ${who.asset} only, not "${asset}"`,
        )
      const sink = o.bus.sink(who.asset)
      if (!sink)
        return refuse(
          404,
          'not-found',
          `asset ${who.asset} is not fed over HTTP in this plant (its source is not "http")`,
        )
      const rows = readRows(body, who.asset, sink.tags, Date.now())
      const accepted = sink.accept(rows.t, rows.values)
      return { status: 200, body: { accepted, asset: who.asset } }
    } catch (e) {
      if (e instanceof IngestSchemaError) return refuse(400, 'bad-request', e.message, e.fields)
      if (e instanceof OutOfOrderError)
        return refuse(409, 'conflict', e.message, [
          { field: 'timestamp', problem: 'is not after the last accepted reading' },
        ])
      if (e instanceof VigilError) return refuse(400, e.code, e.message)
      return refuse(500, 'internal', e instanceof Error ? e.message : String(e))
    }
  }

  return {
    path: INGEST_PATH,
    handle(req, res) {
      const who = admit(req)
      if ('status' in who) {
        // The body is not read: close the connection rather than drain what was refused.
        send(res, who, true)
        return
      }
      const chunks: Buffer[] = []
      let size = 0
      let over = false
      req.on('data', (c: Buffer) => {
        if (over) return
        size += c.length
        if (size > maxBytes) {
          over = true
          send(res, tooLarge(maxBytes), true)
        } else chunks.push(c)
      })
      req.on('end', () => {
        if (!over) send(res, ingest(Buffer.concat(chunks).toString('utf8'), who), false)
      })
      req.on('error', () => res.destroy())
    },
  }
}

function tooMany(wait: number, why: string): Answer {
  return {
    ...refuse(429, 'rate-limited', `${why}: try again in ${wait} s`),
    headers: { 'Retry-After': String(wait) },
  }
}

function tooLarge(max: number): Answer {
  return refuse(413, 'too-large', `a request may hold at most ${max} bytes; send smaller batches`)
}

function send(res: ServerResponse, a: Answer, close: boolean): void {
  if (res.headersSent) return
  res.writeHead(a.status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    ...(close ? { Connection: 'close' } : {}),
    ...a.headers,
  })
  res.end(JSON.stringify(a.body))
}
