import type { Method, Req, Res } from '../../shared/contract.ts'
import type { Result } from '../../shared/errors.ts'
import type { LiveMessage } from '../../shared/samples.ts'
import { decode, encode, liveMessages } from '../../shared/wire.ts'
import { CallError, Listeners, type Connection, type VigilClient } from './client.ts'

export interface WsClientOptions {
  url: string
  /** First retry delay; doubles per failed attempt up to maxDelayMs. */
  minDelayMs?: number
  maxDelayMs?: number
  /** A call with no answer after this long fails as 'unavailable'. */
  callTimeoutMs?: number
}

interface Pending {
  method: string
  resolve: (v: unknown) => void
  reject: (e: Error) => void
  timer: ReturnType<typeof setTimeout>
}

/** `vigil serve`'s socket beside the page; the HttpOnly cookie set with ?token= authenticates it. */
export function pageWsUrl(loc: { protocol: string; host: string }): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/ws`
}

const unavailable = (method: string, message: string) =>
  new CallError(method, { code: 'unavailable', message })

/**
 * The headless mode's client: binary frames (shared/wire.ts) carrying {id, method, req} up and
 * {id, result}, a LiveMessage or a live frame of many (wire.ts liveFrame) down. On close it reconnects with exponential backoff; whoever
 * listens to onConnection re-fetches snapshots on 'open', so a restarted server or a dropped
 * network resynchronises the page without restarting the engine.
 */
export function createWsClient(opts: WsClientOptions): VigilClient {
  const minDelay = opts.minDelayMs ?? 500
  const maxDelay = opts.maxDelayMs ?? 10_000
  const callTimeout = opts.callTimeoutMs ?? 30_000
  const live = new Listeners<LiveMessage>()
  const conns = new Listeners<Connection>()
  const pending = new Map<number, Pending>()
  const queued: { id: number; frame: ArrayBuffer }[] = []
  let conn: Connection = { state: 'connecting' }
  let ws: WebSocket | null = null
  let nextId = 1
  let failures = 0
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let closed = false

  const setConn = (c: Connection) => {
    conn = c
    conns.emit(c)
  }

  function connect(): void {
    if (closed) return
    setConn({ state: 'connecting' })
    const sock = new WebSocket(opts.url)
    sock.binaryType = 'arraybuffer'
    ws = sock
    sock.onopen = () => {
      for (const q of queued.splice(0)) if (pending.has(q.id)) sock.send(q.frame)
      setConn({ state: 'open' })
    }
    sock.onmessage = (ev) => {
      // Backoff restarts only once the server has really answered, so one that accepts and
      // drops at once is not hammered every half second.
      failures = 0
      onFrame(ev.data)
    }
    sock.onclose = (ev) =>
      lost(sock, ev.reason || (ev.code === 1006 ? 'connection lost or refused' : `closed (code ${ev.code})`))
    // Browsers follow an error with close; Node's WebSocket may not, so an error ends it too.
    sock.onerror = () => lost(sock, 'connection lost or refused')
  }

  function lost(sock: WebSocket, reason: string): void {
    if (ws !== sock) return
    ws = null
    sock.onclose = sock.onerror = sock.onmessage = sock.onopen = null
    if (sock.readyState <= WebSocket.OPEN) sock.close()
    for (const [id, p] of pending) {
      clearTimeout(p.timer)
      p.reject(unavailable(p.method, `the connection to the engine closed: ${reason}`))
      pending.delete(id)
    }
    queued.length = 0
    if (closed) return
    const delay = Math.min(maxDelay, minDelay * 2 ** failures)
    failures++
    setConn({ state: 'closed', retryAt: Date.now() + delay, reason })
    retryTimer = setTimeout(connect, delay)
  }

  function onFrame(data: unknown): void {
    let msg: unknown
    try {
      msg = decode(data instanceof ArrayBuffer ? data : new Uint8Array(0))
    } catch (e) {
      console.error('vigil: undecodable frame from the server', e)
      return
    }
    if (!msg || typeof msg !== 'object') return
    // A live frame holds many assets' messages (the server gathers them per animation frame).
    if ('topic' in msg || 'live' in msg) {
      let messages: unknown[]
      try {
        messages = liveMessages(msg)
      } catch (e) {
        console.error('vigil: malformed live frame from the server', e)
        return
      }
      for (const m of messages) live.emit(m as LiveMessage)
      return
    }
    const { id, result } = msg as { id: number; result: Result<unknown> }
    const p = pending.get(id)
    if (!p) return
    pending.delete(id)
    clearTimeout(p.timer)
    if (!result || typeof result.ok !== 'boolean')
      p.reject(
        new CallError(p.method, { code: 'internal', message: 'the server sent an answer without a result' }),
      )
    else if (result.ok) p.resolve(result.value)
    else p.reject(new CallError(p.method, result.error))
  }

  connect()

  return {
    call<M extends Method>(method: M, req: Req<M>): Promise<Res<M>> {
      if (closed) return Promise.reject(unavailable(method, 'the client was closed'))
      if (conn.state === 'closed')
        return Promise.reject(
          unavailable(method, `not connected to the engine (${conn.reason ?? 'reconnecting'})`),
        )
      const id = nextId++
      const frame = encode({ id, method, req })
      return new Promise<Res<M>>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id)
          reject(unavailable(method, `no answer within ${Math.round(callTimeout / 1000)} s`))
        }, callTimeout)
        pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject, timer })
        if (ws && ws.readyState === WebSocket.OPEN) ws.send(frame)
        else queued.push({ id, frame })
      })
    },
    onLive: (cb) => live.add(cb),
    onConnection(cb) {
      cb(conn)
      return conns.add(cb)
    },
    close() {
      closed = true
      clearTimeout(retryTimer)
      if (ws) lost(ws, 'client closed')
    },
  }
}
