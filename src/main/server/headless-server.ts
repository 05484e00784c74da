import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import { fail, type Result } from '../../shared/errors.ts'
import type { LiveMessage } from '../../shared/samples.ts'
import { decode, encode, liveFrame } from '../../shared/wire.ts'
import type { Engine } from '../engine/engine-api.ts'
import { COOKIE } from './auth.ts'
import { createGate, requestUrl, statusLine } from './gate.ts'
import { FailureLimiter, remoteAddress } from './rate-limit.ts'
import { serveStatic } from './static-files.ts'

export interface ServerOptions {
  engine: Engine
  rendererDir: string
  token: string
  /** 127.0.0.1 unless the user chooses otherwise: a plant's data stays on the machine. */
  host?: string
  port?: number
  /** Wrong access tokens per address: default 10 distinct guesses a minute, then 429. */
  tokenLimiter?: FailureLimiter
  /** Failed auth.signIn calls per address: default 10 distinct guesses a minute. */
  signInLimiter?: FailureLimiter
  /**
   * Extra HTTP routes by exact path (POST /api/ingest, src/main/ingest). A route does its own
   * authentication (the ingest route takes a device's API key instead of the token); every
   * other path keeps the token and Origin rules.
   */
  routes?: HttpRoute[]
  /**
   * Live messages published within this many ms share one frame (wire.ts liveFrame). Default
   * 16, one animation frame of the renderer's; 0 sends one frame per message.
   */
  liveFrameMs?: number
}

export interface HttpRoute {
  path: string
  handle(req: IncomingMessage, res: ServerResponse, url: URL): void
}

export interface HeadlessServer {
  url: string
  /** The address the server is bound to. */
  host: string
  port: number
  /** Live messages skipped for clients too slow to take them (they resync on reconnect). */
  skipped(): number
  close(): Promise<void>
}

/** A slow client gets no new live batches while this much is still waiting to be sent to it. */
const MAX_BUFFERED = 8 * 1024 * 1024
/**
 * The renderer draws at most once per animation frame, so live messages gathered for that
 * long lose nothing on screen; at 100 assets x 10 Hz they are ~2,000 messages a second, and
 * one frame each cost a socket write and an encode apiece.
 */
const LIVE_FRAME_MS = 16
/** Most live messages one frame gathers; a 16 ms frame of 100 assets normally holds far fewer. */
const MAX_GATHERED = 512

const droppable = (m: LiveMessage) => m.topic === 'samples' || m.topic === 'scores'

/**
 * `vigil serve`: the built renderer over HTTP and the same contract over one WebSocket per
 * client, both behind the token. Every live message is encoded once and sent to all clients.
 */
export async function startHeadlessServer(opts: ServerOptions): Promise<HeadlessServer> {
  const { engine, token } = opts
  const host = opts.host ?? '127.0.0.1'
  const clients = new Set<WebSocket>()
  let skipped = 0
  let closing = false
  const admit = createGate(token, opts.tokenLimiter ?? new FailureLimiter())
  const signIns = opts.signInLimiter ?? new FailureLimiter()

  const http = createServer((req, res) => {
    if (closing) return void res.writeHead(503, { Connection: 'close', 'Retry-After': '5' }).end()
    const url = requestUrl(req)
    if (!url) return void res.writeHead(400).end()
    const route = opts.routes?.find((r) => r.path === url.pathname)
    if (route) return route.handle(req, res, url)
    const verdict = admit(req, url, false)
    if (!verdict.ok) return void res.writeHead(verdict.status, verdict.headers).end(verdict.text)
    const method = req.method ?? 'GET'
    if (method !== 'GET' && method !== 'HEAD') return void res.writeHead(405, { Allow: 'GET, HEAD' }).end()
    if (verdict.via === 'query') {
      // Trade the token in the URL for a cookie and drop it from the address bar and history.
      url.searchParams.delete('token')
      return void res
        .writeHead(302, {
          'Set-Cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
          Location: url.pathname + url.search,
        })
        .end()
    }
    serveStatic(opts.rendererDir, url.pathname, res, method === 'HEAD')
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 })
  http.on('upgrade', (req: IncomingMessage, socket, head) => {
    const refuse = (status: number, headers: Record<string, string> = {}) => {
      const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`)
      socket.end(`HTTP/1.1 ${statusLine(status)}\r\n${extra.join('')}Connection: close\r\n\r\n`)
    }
    // Once close() has begun no new client may join what is being torn down.
    if (closing) return refuse(503)
    const url = requestUrl(req)
    if (!url) return refuse(400)
    if (url.pathname !== '/ws') return refuse(404)
    const verdict = admit(req, url, true)
    if (!verdict.ok) return refuse(verdict.status, verdict.headers)
    wss.handleUpgrade(req, socket, head, (ws) => onClient(ws, remoteAddress(req.socket)))
  })

  let connections = 0
  function onClient(ws: WebSocket, address: string): void {
    if (closing) return void ws.terminate()
    // Each connection is its own caller: a user signs in on it (alarms/access.ts).
    const caller = `ws:${++connections}`
    clients.add(ws)
    ws.on('close', () => clients.delete(ws))
    ws.on('error', () => clients.delete(ws))
    ws.on('message', (data: RawData, isBinary: boolean) => void answer(ws, data, isBinary, caller, address))
  }

  /** Sign-in guesses are limited per address like token guesses: passwords and sessions are secrets too. */
  async function signIn(
    method: string,
    req: unknown,
    caller: string,
    address: string,
  ): Promise<Result<unknown>> {
    const wait = signIns.retryAfter(address)
    if (wait)
      return fail(
        'unavailable',
        `${method}: too many failed sign-ins from ${address}; try again in ${wait} s`,
      )
    const r = await engine.dispatch(method, req, caller)
    if (r.ok) signIns.succeeded(address)
    else if (r.error.code === 'unauthorized') signIns.fail(address, JSON.stringify(req ?? null))
    return r
  }

  async function answer(
    ws: WebSocket,
    data: RawData,
    isBinary: boolean,
    caller: string,
    address: string,
  ): Promise<void> {
    let id: unknown = null
    let result
    try {
      if (!isBinary || !(data instanceof Buffer)) throw new Error('expected one binary frame per request')
      const msg = decode(data) as { id?: unknown; method?: unknown; req?: unknown }
      id = msg.id ?? null
      if (typeof msg.method !== 'string') throw new Error('a request needs a "method" string')
      result =
        msg.method === 'auth.signIn' || msg.method === 'auth.resume'
          ? await signIn(msg.method, msg.req, caller, address)
          : await engine.dispatch(msg.method, msg.req, caller)
    } catch (e) {
      result = fail('bad-request', `malformed request: ${e instanceof Error ? e.message : String(e)}`)
    }
    if (ws.readyState !== ws.OPEN) return
    let frame: ArrayBuffer
    try {
      frame = encode({ id, result })
    } catch (e) {
      // An answer that cannot be encoded must not become an unhandled rejection, which ends the process.
      frame = encode({ id, result: fail('internal', `the answer could not be encoded: ${String(e)}`) })
    }
    ws.send(frame)
  }

  /** Sends messages, in order, to every open client; a slow one gets only those never dropped. */
  const broadcast = (messages: LiveMessage[], encodeAll: (ms: LiveMessage[]) => ArrayBuffer) => {
    let all: ArrayBuffer | null = null
    let kept: ArrayBuffer | null | undefined
    for (const ws of clients) {
      if (ws.readyState !== ws.OPEN) continue
      if (ws.bufferedAmount > MAX_BUFFERED) {
        const keep = messages.filter((m) => !droppable(m))
        skipped += messages.length - keep.length
        if (kept === undefined) kept = keep.length ? encodeAll(keep) : null
        if (kept) ws.send(kept)
        continue
      }
      ws.send((all ??= encodeAll(messages)))
    }
  }
  const frameMs = opts.liveFrameMs ?? LIVE_FRAME_MS
  let gathered: LiveMessage[] = []
  let frameTimer: ReturnType<typeof setTimeout> | null = null
  const flushLive = () => {
    frameTimer = null
    const messages = gathered
    gathered = []
    if (clients.size && messages.length) broadcast(messages, (ms) => encode(liveFrame(ms)))
  }
  const unsubscribe = engine.subscribe((m: LiveMessage) => {
    if (clients.size === 0) return
    if (frameMs <= 0) return broadcast([m], ([one]) => encode(one))
    gathered.push(m)
    // After a stall (a paused process, a burst from a backlog) frames stay bounded: a client
    // decodes many modest frames rather than one huge one it may never catch up with.
    if (gathered.length >= MAX_GATHERED) {
      if (frameTimer) clearTimeout(frameTimer)
      flushLive()
    } else frameTimer ??= setTimeout(flushLive, frameMs)
  })

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen(opts.port ?? 0, host, () => resolve())
  })
  const port = (http.address() as AddressInfo).port
  const shownHost = host.includes(':') ? `[${host}]` : host
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    host: (http.address() as AddressInfo).address,
    port,
    skipped: () => skipped,
    async close() {
      closing = true
      unsubscribe()
      if (frameTimer) clearTimeout(frameTimer)
      gathered = []
      for (const ws of clients) ws.terminate()
      wss.close()
      const closed = new Promise<void>((r) => http.close(() => r()))
      http.closeAllConnections()
      await closed
    },
  }
}
