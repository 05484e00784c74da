import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { Health } from '../../shared/contract.ts'
import type { Result } from '../../shared/errors.ts'
import { decode, encode } from '../../shared/wire.ts'
import regressions from '../../../fuzz-regressions/http.json' with { type: 'json' }
import { createEngine, type RunningEngine } from '../engine/engine.ts'
import { startHeadlessServer, type HeadlessServer } from './headless-server.ts'

/*
 * The server under hostile traffic from a client that holds the token: random WebSocket
 * frames must each get an answer or be ignored while the connection and the engine keep
 * working, and no spelling of a path may read a file outside the built UI.
 */
const dir = mkdtempSync(join(tmpdir(), 'vigil-serve-fuzz-'))
const ui = join(dir, 'ui')
mkdirSync(join(ui, 'assets'), { recursive: true })
writeFileSync(join(ui, 'index.html'), '<!doctype html><title>Vigil</title>')
writeFileSync(join(ui, 'assets', 'app.js'), 'console.log(1)')
writeFileSync(join(dir, 'secret.txt'), 'do not serve')
writeFileSync(join(ui, '.env'), 'do not serve')
const token = 'fuzz-token-0123456789'
let engine: RunningEngine
let server: HeadlessServer

beforeAll(async () => {
  engine = await createEngine({ dbPath: join(dir, 'fuzz.db'), simSpeed: 20 })
  server = await startHeadlessServer({ engine, rendererDir: ui, token, port: 0 })
})
afterAll(async () => {
  await server?.close()
  await engine?.stop()
  rmSync(dir, { recursive: true, force: true })
})

function get(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path, headers: { cookie: `vigil_token=${token}` } },
      (res) => {
        let body = ''
        res.on('data', (c) => (body += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      },
    )
    req.on('error', reject)
    req.end()
  })
}

/** Writes raw bytes, returns the status code of the first response line (0 when none came). */
function raw(text: string): Promise<number> {
  return new Promise((resolve) => {
    let got = ''
    const s = connect(server.port, '127.0.0.1', () => s.end(text))
    s.on('data', (d) => (got += d))
    const done = () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(got)?.[1] ?? 0))
    s.on('close', done)
    s.on('error', done)
  })
}

describe('vigil serve under hostile traffic', () => {
  it('answers any request target, token or not, and stays up', async () => {
    const target = fc.oneof(
      fc.string({ maxLength: 40 }).map((s) => `/${s}`),
      fc.string({ maxLength: 40 }).map((s) => `http://${s}`),
      fc.constantFrom('*', 'http://[', 'http://[::1', 'http://a:b:c/', '//x', 'x:'),
    )
    const upgrade = fc.boolean()
    await fc.assert(
      fc.asyncProperty(target, upgrade, async (t, up) => {
        // Keep to what a request line may hold, so the HTTP parser passes it on to Vigil.
        const line = [...t].map((c) => (c <= ' ' || c === '\u007f' ? '_' : c)).join('')
        const extra = up ? 'Connection: Upgrade\r\nUpgrade: websocket\r\n' : ''
        const status = await raw(`GET ${line} HTTP/1.1\r\nHost: x\r\n${extra}\r\n`)
        expect([400, 401, 404], line).toContain(status)
      }),
      { numRuns: 150 },
    )
    expect((await get('/index.html')).status).toBe(200)
  })

  it('still answers every request that once broke it (fuzz-regressions/http.json)', async () => {
    for (const c of regressions) expect(await raw(c.request), c.found).toBe(c.status)
    expect((await get('/index.html')).status).toBe(200)
  })

  it('answers random WebSocket frames without dropping the connection or stopping the engine', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${token}`)
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
    let closed = false
    ws.on('close', () => (closed = true))
    const answers: Result<unknown>[] = []
    const healthy = new Map<string, Result<unknown>>()
    ws.on('message', (d: Buffer) => {
      const m = decode(d) as { id?: unknown; result?: Result<unknown> }
      if (!m.result) return
      answers.push(m.result)
      if (typeof m.id === 'string' && m.id.startsWith('health-')) healthy.set(m.id, m.result)
    })
    const valid = encode({ id: 1, method: 'system.health', req: {} })
    let calls = 0
    const frame = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((b) => ({ data: Buffer.from(b), binary: true })),
      fc.string({ maxLength: 200 }).map((s) => ({ data: s, binary: false })),
      fc
        .array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })
        .map((flips) => {
          const b = Buffer.from(new Uint8Array(valid))
          for (const [at, v] of flips) b[at % b.length] = v
          return { data: b, binary: true }
        }),
      fc
        .record({
          id: fc.jsonValue(),
          method: fc.oneof(
            fc.constantFrom(...['system.health', 'live.snapshot', 'auth.signIn', 'x']),
            fc.jsonValue(),
          ),
          req: fc.jsonValue(),
        })
        .map((m) => ({ data: Buffer.from(new Uint8Array(encode(m))), binary: true })),
    )
    const health = async () => {
      const id = `health-${++calls}`
      ws.send(encode({ id, method: 'system.health', req: {} }))
      const end = Date.now() + 10_000
      while (!healthy.has(id) && Date.now() < end) await new Promise((r) => setTimeout(r, 5))
      return healthy.get(id)
    }
    const first = (await health()) as { ok: true; value: Health }
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 10 }), async (frames) => {
        for (const f of frames) ws.send(f.data, { binary: f.binary })
        const r = await health()
        expect(closed).toBe(false)
        expect(r?.ok).toBe(true)
      }),
      { numRuns: 60 },
    )
    for (const a of answers) expect(typeof a.ok).toBe('boolean')
    const last = (await health()) as { ok: true; value: Health }
    expect(last.value.startedAt).toBe(first.value.startedAt)
    expect(last.value.samplesIn).toBeGreaterThan(first.value.samplesIn)
    ws.close()
  })

  it('serves nothing outside the built UI and no dot-file, however a path is spelled', async () => {
    const segment = fc.oneof(
      fc.constantFrom(
        '..',
        '.',
        '%2e%2e',
        '%2E%2e',
        '..%2f',
        '..%5c',
        '%2f',
        '%5c',
        '\\',
        '%00',
        '%',
        '%%32%65',
      ),
      fc.constantFrom('secret.txt', '.env', 'assets', 'app.js', 'index.html', 'ui', ''),
      fc.string({ maxLength: 6 }).map(encodeURIComponent),
    )
    const path = fc.array(segment, { minLength: 1, maxLength: 7 }).map((s) => `/${s.join('/')}`)
    await fc.assert(
      fc.asyncProperty(path, async (p) => {
        const r = await get(p)
        expect(r.body, p).not.toContain('do not serve')
        expect([200, 400, 404], p).toContain(r.status)
        if (r.status === 200)
          expect(['<!doctype html><title>Vigil</title>', 'console.log(1)'], p).toContain(r.body)
      }),
      { numRuns: 300 },
    )
  })
})
