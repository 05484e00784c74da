import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { Result } from '../../shared/errors.ts'
import { decode, encode, liveMessages } from '../../shared/wire.ts'
import { createEngine, type RunningEngine } from '../engine/engine.ts'
import { startHeadlessServer, type HeadlessServer } from './headless-server.ts'

const dir = mkdtempSync(join(tmpdir(), 'vigil-serve-'))
const ui = join(dir, 'ui')
mkdirSync(join(ui, 'assets'), { recursive: true })
writeFileSync(join(ui, 'index.html'), '<!doctype html><title>Vigil</title>')
writeFileSync(join(ui, 'assets', 'app.js'), 'console.log(1)')
writeFileSync(join(dir, 'secret.txt'), 'do not serve')
const token = 'test-token-0123456789'

let engine: RunningEngine
let server: HeadlessServer
let base: string

beforeAll(async () => {
  engine = await createEngine({ dbPath: join(dir, 'serve.db'), simSpeed: 20 })
  server = await startHeadlessServer({ engine, rendererDir: ui, token, port: 0 })
  base = `http://127.0.0.1:${server.port}`
})
afterAll(async () => {
  await server?.close()
  await engine?.stop()
})

function get(path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      // Raw request so the path is sent exactly as written (fetch would normalise "..").
      const req = request(`${base}/`, { path, headers }, (res) => {
        let body = ''
        res.on('data', (c) => (body += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      })
      req.on('error', reject)
      req.end()
    },
  )
}

function connect(headers: Record<string, string>, query = '') {
  return new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws${query}`, { headers })
    ws.binaryType = 'nodebuffer'
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    ws.once('error', reject)
  })
}

function call(ws: WebSocket, id: number, method: string, req: unknown) {
  return new Promise<Result<unknown>>((resolve) => {
    const onMsg = (data: Buffer) => {
      const m = decode(data) as { id?: number; result?: Result<unknown> }
      if (m.id === id) {
        ws.off('message', onMsg)
        resolve(m.result!)
      }
    }
    ws.on('message', onMsg)
    ws.send(encode({ id, method, req }))
  })
}

describe('vigil serve', () => {
  it('refuses the page without the token and explains how to get in', async () => {
    const r = await get('/')
    expect(r.status).toBe(401)
    expect(r.body).toMatch(/access token/)
  })

  it('trades the token in the URL for an HttpOnly cookie and serves the UI with a strict CSP', async () => {
    const first = await get(`/?token=${token}`)
    expect(first.status).toBe(302)
    expect(String(first.headers['set-cookie'])).toMatch(/vigil_token=.*HttpOnly.*SameSite=Strict/)
    expect(first.headers.location).toBe('/')
    const page = await get('/', { cookie: `vigil_token=${token}` })
    expect(page.status).toBe(200)
    expect(page.body).toContain('<title>Vigil</title>')
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'")
  })

  it('serves nothing outside the built UI, however the path is spelled', async () => {
    const cookie = { cookie: `vigil_token=${token}` }
    for (const p of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/.env',
      '/%00',
    ]) {
      const r = await get(p, cookie)
      expect(r.body, p).not.toContain('do not serve')
      expect([404, 400], p).toContain(r.status)
    }
    expect((await get('/assets/app.js', cookie)).status).toBe(200)
  })

  it('refuses a WebSocket without the token, or from another site with it', async () => {
    await expect(connect({})).rejects.toThrow(/401/)
    await expect(connect({ cookie: `vigil_token=${token}`, origin: 'http://evil.example' })).rejects.toThrow(
      /403/,
    )
    await expect(connect({}, '?token=wrong')).rejects.toThrow(/401/)
  })

  it('answers contract calls, names the bad field of a bad request, and streams live samples', async () => {
    const ws = await connect({ cookie: `vigil_token=${token}`, origin: base })
    const live = new Promise<unknown>((resolve) =>
      ws.on('message', (d: Buffer) => {
        // Live messages arrive gathered, many to a frame (wire.ts liveFrame).
        for (const m of liveMessages(decode(d)) as { topic?: string; batch?: { assetId: string } }[])
          if (m.topic === 'samples' && m.batch?.assetId === 'P-101') resolve(m)
      }),
    )
    const plant = await call(ws, 1, 'plant.describe', {})
    expect(plant.ok && (plant.value as { assets: { id: string }[] }).assets[0]!.id).toBe('P-101')
    const bad = await call(ws, 2, 'history.range', { assetId: 'P-101', from: 10, to: 5, maxPoints: 100 })
    expect(bad.ok).toBe(false)
    expect(!bad.ok && bad.error.message).toMatch(/history\.range: to: from must be before to/)
    const unknown = await call(ws, 3, 'plant.delete', {})
    expect(!unknown.ok && unknown.error.code).toBe('bad-request')
    const m = (await live) as { batch: { assetId: string; t: Float64Array; quality: Uint8Array[] } }
    expect(m.batch.assetId).toBe('P-101')
    expect(m.batch.t).toBeInstanceOf(Float64Array)
    expect(m.batch.quality).toHaveLength(10)
    ws.close()
  })

  it('answers a malformed frame with an error and keeps the connection', async () => {
    const ws = await connect({}, `?token=${token}`)
    const reply = new Promise<Result<unknown>>((resolve) =>
      ws.on('message', (d: Buffer) => {
        const m = decode(d) as { id?: unknown; result?: Result<unknown> }
        if (m.result) resolve(m.result)
      }),
    )
    ws.send(Buffer.from([1, 2, 3]))
    const r = await reply
    expect(!r.ok && r.error.message).toMatch(/malformed request/)
    const again = await call(ws, 7, 'system.health', {})
    expect(again.ok).toBe(true)
    ws.close()
  })

  it('gathers the live messages of one animation frame into one frame; 0 ms sends one frame each', async () => {
    /** Frames and the live messages in them, over `ms` of the running demo plant. */
    const count = async (port: number, ms: number) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${token}`)
      const got = { frames: 0, messages: 0, samples: new Set<string>() }
      ws.on('message', (d: Buffer) => {
        const ms = liveMessages(decode(d)) as { topic: string; batch?: { assetId: string } }[]
        got.frames++
        got.messages += ms.length
        for (const m of ms) if (m.topic === 'samples') got.samples.add(m.batch!.assetId)
      })
      // Counted from the first live frame: the engine may still be loading its models.
      await new Promise((r) => ws.once('message', r))
      Object.assign(got, { frames: 0, messages: 0, samples: new Set<string>() })
      await new Promise((r) => setTimeout(r, ms))
      ws.close()
      return got
    }
    const single = await startHeadlessServer({ engine, rendererDir: ui, token, port: 0, liveFrameMs: 0 })
    try {
      const [gathered, one] = await Promise.all([count(server.port, 2000), count(single.port, 2000)])
      // The demo plant's assets all stream; nothing is lost by gathering.
      expect(gathered.samples.size).toBeGreaterThanOrEqual(2)
      expect(gathered.samples).toEqual(one.samples)
      expect(one.messages).toBe(one.frames)
      // Samples and the scores computed from them go out in the same turn, so frames hold several.
      expect(gathered.messages).toBeGreaterThan(1.5 * gathered.frames)
    } finally {
      await single.close()
    }
  })
})
