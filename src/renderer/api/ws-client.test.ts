import { afterEach, describe, expect, it } from 'vitest'
import { WebSocketServer, type WebSocket as ServerSocket } from 'ws'
import { decode, encode, liveFrame } from '../../shared/wire.ts'
import type { Connection, VigilClient } from './client.ts'
import { CallError } from './client.ts'
import { errorText } from './error-text.ts'
import { createWsClient } from './ws-client.ts'

type Handler = (method: string, req: unknown) => unknown

/** A stand-in for `vigil serve`'s socket: answers calls through `handle`, pushes whatever the test sends. */
async function startServer(handle: Handler) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise<void>((r) => wss.once('listening', () => r()))
  const sockets: ServerSocket[] = []
  wss.on('connection', (ws) => {
    sockets.push(ws)
    ws.on('message', (data: Buffer) => {
      const { id, method, req } = decode(data) as { id: number; method: string; req: unknown }
      const result = handle(method, req)
      if (result !== undefined) ws.send(encode({ id, result }))
    })
  })
  const port = (wss.address() as { port: number }).port
  return { wss, sockets, url: `ws://127.0.0.1:${port}/ws` }
}

const until = async (cond: () => boolean, what: string) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10))
  if (!cond()) throw new Error(`timed out waiting for ${what}`)
}

const cleanup: (() => void)[] = []
afterEach(() => cleanup.splice(0).forEach((f) => f()))

function client(url: string, minDelayMs = 20): VigilClient {
  const c = createWsClient({ url, minDelayMs, maxDelayMs: 5 * minDelayMs })
  cleanup.push(() => c.close())
  return c
}

describe('ws client', () => {
  it('resolves a call with the value of an ok Result, sent before the socket opened', async () => {
    const srv = await startServer((method, req) => ({ ok: true, value: { method, req } }))
    cleanup.push(() => srv.wss.close())
    const c = client(srv.url)
    const v = await c.call('system.health', {})
    expect(v).toEqual({ method: 'system.health', req: {} })
  })

  it('rejects a failed Result with a CallError keeping its code, which the banner turns into text', async () => {
    const srv = await startServer(() => ({
      ok: false,
      error: { code: 'not-found', message: 'no asset "X-9"' },
    }))
    cleanup.push(() => srv.wss.close())
    const c = client(srv.url)
    const err = await c.call('live.snapshot', { assetId: 'X-9', seconds: 60 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(CallError)
    expect((err as CallError).code).toBe('not-found')
    expect((err as CallError).method).toBe('live.snapshot')
    expect(errorText(err)).toBe('Not found: no asset "X-9"')
  })

  it('delivers pushed live messages with their typed arrays intact', async () => {
    const srv = await startServer(() => ({ ok: true, value: null }))
    cleanup.push(() => srv.wss.close())
    const c = client(srv.url)
    const got: unknown[] = []
    c.onLive((m) => got.push(m))
    await c.call('plant.describe', {})
    const batch = { assetId: 'P-101', t: new Float64Array([1, 2]), values: [new Float64Array([NaN, 3])] }
    srv.sockets[0]!.send(encode({ topic: 'samples', batch }))
    await until(() => got.length === 1, 'the live message')
    const m = got[0] as { topic: string; batch: typeof batch }
    expect(m.topic).toBe('samples')
    expect(m.batch.values[0]).toBeInstanceOf(Float64Array)
    expect(Number.isNaN(m.batch.values[0]![0])).toBe(true)
  })

  it('delivers each message of a live frame, in order, as the server gathers them per animation frame', async () => {
    const srv = await startServer(() => ({ ok: true, value: null }))
    cleanup.push(() => srv.wss.close())
    const c = client(srv.url)
    const got: { topic: string; batch?: { assetId: string; t: Float64Array } }[] = []
    c.onLive((m) => got.push(m as (typeof got)[number]))
    await c.call('plant.describe', {})
    const samples = (assetId: string, t: number) => ({
      topic: 'samples',
      batch: { assetId, t: new Float64Array([t]), values: [new Float64Array([t])] },
    })
    srv.sockets[0]!.send(encode(liveFrame([samples('P-001', 1), { topic: 'status' }, samples('P-002', 2)])))
    await until(() => got.length === 3, 'three live messages')
    expect(got.map((m) => m.batch?.assetId ?? m.topic)).toEqual(['P-001', 'status', 'P-002'])
    expect(got[2]!.batch!.t).toBeInstanceOf(Float64Array)
    expect(got[2]!.batch!.t[0]).toBe(2)
  })

  it('fails calls in flight when the connection drops, then reconnects by itself', async () => {
    let answer = false
    const srv = await startServer(() => (answer ? { ok: true, value: 'back' } : undefined))
    cleanup.push(() => srv.wss.close())
    const c = client(srv.url)
    const states: Connection['state'][] = []
    c.onConnection((s) => states.push(s.state))
    await until(() => states.includes('open'), 'the first open')
    // The server never answers this one; dropping the socket must fail it, not leave it hanging.
    srv.wss.on('connection', () => {}) // keep accepting
    const inFlight = c.call('system.health', {}).catch((e: unknown) => e)
    await until(() => srv.sockets.length === 1, 'the server side socket')
    await new Promise((r) => setTimeout(r, 20))
    srv.sockets[0]!.terminate()
    const err = await inFlight
    expect((err as CallError).code).toBe('unavailable')
    expect(errorText(err)).toMatch(/engine is unavailable: the connection to the engine closed/)
    answer = true
    await until(() => states.filter((s) => s === 'open').length === 2, 'the reconnect')
    expect(states).toContain('closed')
    expect(await c.call('system.health', {})).toBe('back')
  })

  it('refuses calls at once while waiting to reconnect, naming why', async () => {
    const c = client('ws://127.0.0.1:1/ws', 10_000)
    let conn: Connection = { state: 'connecting' }
    c.onConnection((s) => (conn = s))
    await until(() => conn.state === 'closed', 'the refused connection')
    expect(conn.retryAt).toBeGreaterThan(0)
    const err = await c.call('system.health', {}).catch((e: unknown) => e)
    expect((err as CallError).code).toBe('unavailable')
    expect((err as CallError).message).toMatch(/not connected to the engine/)
  })
})
