import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { connect as tcp } from 'node:net'
import { networkInterfaces, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { Result } from '../../shared/errors.ts'
import { decode, encode } from '../../shared/wire.ts'
import { createEngine, type RunningEngine } from '../engine/engine.ts'
import { startHeadlessServer, type HeadlessServer } from './headless-server.ts'
import { FailureLimiter } from './rate-limit.ts'

const dir = mkdtempSync(join(tmpdir(), 'vigil-sec-'))
const ui = join(dir, 'ui')
mkdirSync(ui)
writeFileSync(join(ui, 'index.html'), '<!doctype html><title>Vigil</title>')
const token = 'security-token-0123456789'
let engine: RunningEngine
let server: HeadlessServer

beforeAll(async () => {
  engine = await createEngine({ dbPath: join(dir, 'sec.db'), simSpeed: 5 })
  server = await startHeadlessServer({ engine, rendererDir: ui, token, port: 0 })
})
afterAll(async () => {
  await server?.close()
  await engine?.stop()
  rmSync(dir, { recursive: true, force: true })
})

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}
/** A raw request (paths are sent exactly as written), optionally from another loopback address. */
function http(
  port: number,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; from?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: opts.method ?? 'GET',
        headers: opts.headers,
        localAddress: opts.from,
      },
      (res) => {
        let body = ''
        res.on('data', (c) => (body += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      },
    )
    req.on('error', reject)
    req.end()
  })
}
function upgrade(port: number, headers: Record<string, string>, query = '', from?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws${query}`, { headers, localAddress: from })
    ws.once('open', () => {
      ws.close()
      resolve(101)
    })
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    ws.once('error', reject)
  })
}
describe('vigil serve, locked down', () => {
  it('binds 127.0.0.1 unless told otherwise, so other machines cannot reach it', async () => {
    expect(server.host).toBe('127.0.0.1')
    const lan = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal)
    if (lan) {
      const reached = await new Promise<boolean>((resolve) => {
        const s = tcp(server.port, lan.address, () => resolve(true))
        s.on('error', () => resolve(false))
      })
      expect(reached).toBe(false)
    }
    const wide = await startHeadlessServer({ engine, rendererDir: ui, token, port: 0, host: '0.0.0.0' })
    expect(wide.host).toBe('0.0.0.0')
    await wide.close()
  })

  it('asks for the token on every request, whatever its method or path, and serves nothing without it', async () => {
    for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'])
      for (const path of ['/', '/index.html', '/ws', '/assets/app.js', '/../../etc/passwd'])
        expect((await http(server.port, path, { method })).status, `${method} ${path}`).toBe(401)
    const wrong: { path: string; headers?: Record<string, string> }[] = [
      { path: '/?token=nope' },
      { path: '/', headers: { cookie: 'vigil_token=nope' } },
      { path: '/', headers: { authorization: 'Bearer nope' } },
      { path: '/', headers: { authorization: `Basic ${token}` } },
    ]
    for (const w of wrong) {
      const r = await http(server.port, w.path, { headers: w.headers })
      expect(r.status).toBe(401)
      expect(r.body).not.toContain('<title>Vigil')
    }
    expect((await http(server.port, '/', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200)
  })

  it('asks for the token on every WebSocket upgrade and takes it by query, cookie or bearer header', async () => {
    expect(await upgrade(server.port, {})).toBe(401)
    expect(await upgrade(server.port, { cookie: 'vigil_token=nope' })).toBe(401)
    expect(await upgrade(server.port, {}, `?token=${token}`)).toBe(101)
    expect(await upgrade(server.port, { cookie: `vigil_token=${token}` })).toBe(101)
    expect(await upgrade(server.port, { authorization: `Bearer ${token}` })).toBe(101)
    const origin = { cookie: `vigil_token=${token}` }
    expect(await upgrade(server.port, { ...origin, origin: 'http://evil.example' })).toBe(403)
    expect(await upgrade(server.port, { ...origin, origin: 'null' })).toBe(403)
    expect(await upgrade(server.port, { ...origin, origin: `http://127.0.0.1:${server.port + 1}` })).toBe(403)
    expect(await upgrade(server.port, { ...origin, origin: `http://127.0.0.1:${server.port}` })).toBe(101)
  })

  it('refuses an address after ten wrong tokens in a minute with 429 and Retry-After, right token or not', async () => {
    const own = await startHeadlessServer({
      engine,
      rendererDir: ui,
      token,
      port: 0,
      tokenLimiter: new FailureLimiter(),
    })
    try {
      const from = '127.0.0.2'
      for (let i = 0; i < 10; i++)
        expect((await http(own.port, `/?token=guess-${i}`, { from })).status).toBe(401)
      const refused = await http(own.port, `/?token=${token}`, { from })
      expect(refused.status).toBe(429)
      const wait = Number(refused.headers['retry-after'])
      expect(wait).toBeGreaterThan(0)
      expect(wait).toBeLessThanOrEqual(60)
      expect(await upgrade(own.port, {}, `?token=${token}`, from)).toBe(429)
      // Another address is not held back by this one's guesses.
      expect((await http(own.port, `/?token=${token}`)).status).toBe(302)
    } finally {
      await own.close()
    }
  })

  it('refuses a WebSocket upgrade that arrives once close() has begun', async () => {
    const own = await startHeadlessServer({ engine, rendererDir: ui, token, port: 0 })
    const s = tcp(own.port, '127.0.0.1')
    await new Promise((r) => s.once('connect', r))
    let got = ''
    s.on('data', (d) => (got += d))
    const ended = new Promise((r) => s.once('close', r))
    s.on('error', () => {})
    s.write(`GET /ws?token=${token} HTTP/1.1\r\nHost: 127.0.0.1\r\n`)
    const closing = own.close()
    s.write(
      'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    )
    await closing
    await ended
    expect(got).not.toMatch(/^HTTP\/1\.1 101/)
    expect(await upgrade(server.port, {}, `?token=${token}`)).toBe(101)
  })

  // Last: it creates the first user account, which ends the engine's open (single-user) mode.
  it('refuses sign-ins from an address after ten wrong passwords, right password or not', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${token}`)
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
    let id = 0
    const call = (method: string, req: unknown) =>
      new Promise<Result<unknown>>((resolve) => {
        const mine = ++id
        const on = (d: Buffer) => {
          const m = decode(d) as { id?: number; result?: Result<unknown> }
          if (m.id !== mine) return
          ws.off('message', on)
          resolve(m.result!)
        }
        ws.on('message', on)
        ws.send(encode({ id: mine, method, req }))
      })
    const made = await call('users.create', { name: 'admin1', role: 'admin', password: 'correct horse' })
    expect(made.ok).toBe(true)
    for (let i = 0; i < 10; i++) {
      const r = await call('auth.signIn', { user: 'admin1', password: `wrong-${i}` })
      expect(!r.ok && r.error.code).toBe('unauthorized')
    }
    const held = await call('auth.signIn', { user: 'admin1', password: 'correct horse' })
    expect(!held.ok && held.error.message).toMatch(
      /auth\.signIn: too many failed sign-ins from 127\.0\.0\.1; try again in \d+ s/,
    )
    const resume = await call('auth.resume', { token: 'x'.repeat(32) })
    expect(!resume.ok && resume.error.code).toBe('unavailable')
    ws.close()
  })
})
