import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import { fail } from '../../shared/errors.ts'
import type { LiveMessage } from '../../shared/samples.ts'
import { decode, encode } from '../../shared/wire.ts'
import type { Engine } from '../engine/engine-api.ts'
import { authenticate, COOKIE, originAllowed } from './auth.ts'
import { serveStatic } from './static-files.ts'

export interface ServerOptions {
  engine: Engine
  rendererDir: string
  token: string
  /** 127.0.0.1 unless the user chooses otherwise: a plant's data stays on the machine. */
  host?: string
  port?: number
}

export interface HeadlessServer {
  url: string
  port: number
  /** Live messages skipped for clients too slow to take them (they resync on reconnect). */
  skipped(): number
  close(): Promise<void>
}

/** A slow client gets no new live batches while this much is still waiting to be sent to it. */
const MAX_BUFFERED = 8 * 1024 * 1024

/**
 * `vigil serve`: the built renderer over HTTP and the same contract over one WebSocket per
 * client, both behind the token. Every live message is encoded once and sent to all clients.
 */
export async function startHeadlessServer(opts: ServerOptions): Promise<HeadlessServer> {
  const { engine, token } = opts
  const host = opts.host ?? '127.0.0.1'
  const clients = new Set<WebSocket>()
  let skipped = 0

  const http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local')
    const method = req.method ?? 'GET'
    if (method !== 'GET' && method !== 'HEAD') return void res.writeHead(405, { Allow: 'GET, HEAD' }).end()
    const auth = authenticate(req, url, token)
    if (!auth)
      return void res
        .writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8' })
        .end(
          'Vigil needs its access token: open the URL that `vigil serve` printed (it ends in ?token=...).\n',
        )
    if (auth === 'query') {
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
    const url = new URL(req.url ?? '/', 'http://local')
    const refuse = (status: string) => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`)
    }
    if (url.pathname !== '/ws') return refuse('404 Not Found')
    if (!authenticate(req, url, token)) return refuse('401 Unauthorized')
    if (!originAllowed(req)) return refuse('403 Forbidden')
    wss.handleUpgrade(req, socket, head, (ws) => onClient(ws))
  })

  function onClient(ws: WebSocket): void {
    clients.add(ws)
    ws.on('close', () => clients.delete(ws))
    ws.on('error', () => clients.delete(ws))
    ws.on('message', (data: RawData, isBinary: boolean) => void answer(ws, data, isBinary))
  }

  async function answer(ws: WebSocket, data: RawData, isBinary: boolean): Promise<void> {
    let id: unknown = null
    let result
    try {
      if (!isBinary || !(data instanceof Buffer)) throw new Error('expected one binary frame per request')
      const msg = decode(data) as { id?: unknown; method?: unknown; req?: unknown }
      id = msg.id ?? null
      if (typeof msg.method !== 'string') throw new Error('a request needs a "method" string')
      result = await engine.dispatch(msg.method, msg.req)
    } catch (e) {
      result = fail('bad-request', `malformed request: ${(e as Error).message}`)
    }
    if (ws.readyState === ws.OPEN) ws.send(encode({ id, result }))
  }

  const unsubscribe = engine.subscribe((m: LiveMessage) => {
    if (clients.size === 0) return
    const frame = encode(m)
    const droppable = m.topic === 'samples' || m.topic === 'scores'
    for (const ws of clients) {
      if (ws.readyState !== ws.OPEN) continue
      if (droppable && ws.bufferedAmount > MAX_BUFFERED) {
        skipped++
        continue
      }
      ws.send(frame)
    }
  })

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen(opts.port ?? 0, host, () => resolve())
  })
  const port = (http.address() as AddressInfo).port
  const shownHost = host.includes(':') ? `[${host}]` : host
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    port,
    skipped: () => skipped,
    async close() {
      unsubscribe()
      for (const ws of clients) ws.terminate()
      wss.close()
      const closed = new Promise<void>((r) => http.close(() => r()))
      http.closeAllConnections()
      await closed
    },
  }
}
