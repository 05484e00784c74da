import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { Health, LiveSnapshot } from '../../shared/contract.ts'
import type { Result } from '../../shared/errors.ts'
import type { LiveMessage } from '../../shared/samples.ts'
import { decode, encode, liveMessages } from '../../shared/wire.ts'
import { createEngine, type RunningEngine } from '../engine/engine.ts'
import { startHeadlessServer, type HeadlessServer } from './headless-server.ts'

/*
 * A browser that reloads or loses its WebSocket reconnects to the same engine and rebuilds
 * its picture from live.snapshot plus the live stream, as renderer/state/feed.ts does. This
 * checks, against a client that never left, that the rebuilt series has no gap, no duplicate
 * and the same values, without the engine restarting.
 */
const dir = mkdtempSync(join(tmpdir(), 'vigil-reconnect-'))
mkdirSync(join(dir, 'ui'))
writeFileSync(join(dir, 'ui', 'index.html'), '<!doctype html><title>Vigil</title>')
const token = 'reconnect-token-0123456789'
let engine: RunningEngine
let server: HeadlessServer

beforeAll(async () => {
  engine = await createEngine({ dbPath: join(dir, 'r.db'), simSpeed: 60 })
  server = await startHeadlessServer({ engine, rendererDir: join(dir, 'ui'), token, port: 0 })
})
afterAll(async () => {
  await server?.close()
  await engine?.stop()
  rmSync(dir, { recursive: true, force: true })
})

/** One browser tab: the samples of P-101 it holds (time and bearing temperature), in order. */
class Tab {
  readonly t: number[] = []
  readonly v: number[] = []
  ws!: WebSocket
  private nextId = 1
  private readonly replies = new Map<number, (r: Result<unknown>) => void>()
  private held: LiveMessage[] | null = null

  async open(): Promise<void> {
    this.ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${token}`)
    this.ws.on('message', (d: Buffer) => {
      const m = decode(d) as { id?: number; result?: Result<unknown> }
      if (m.id !== undefined && m.result) return this.replies.get(m.id)?.(m.result)
      for (const one of liveMessages(m) as LiveMessage[])
        if (this.held) this.held.push(one)
        else this.apply(one)
    })
    await new Promise((resolve, reject) => this.ws.once('open', resolve).once('error', reject))
  }

  call<T>(method: string, req: unknown): Promise<T> {
    const id = this.nextId++
    return new Promise<T>((resolve, reject) => {
      this.replies.set(id, (r) => (r.ok ? resolve(r.value as T) : reject(new Error(r.error.message))))
      this.ws.send(encode({ id, method, req }))
    })
  }

  /** What feed.ts does on every (re)connect: live messages wait while the snapshot is fetched. */
  async resync(): Promise<void> {
    this.held = []
    const snap = await this.call<LiveSnapshot>('live.snapshot', { assetId: 'P-101', seconds: 3600 })
    this.t.length = 0
    this.v.length = 0
    this.append(snap.samples.t, snap.samples.values[1]!)
    const held = this.held
    this.held = null
    for (const m of held) this.apply(m)
  }

  private apply(m: LiveMessage): void {
    if (m.topic === 'samples' && m.batch.assetId === 'P-101') this.append(m.batch.t, m.batch.values[1]!)
  }

  /** Like the renderer's ring: rows it already holds are skipped. */
  private append(t: Float64Array, v: Float64Array): void {
    for (let i = 0; i < t.length; i++) {
      if (this.t.length && t[i]! <= this.t[this.t.length - 1]!) continue
      this.t.push(t[i]!)
      this.v.push(v[i]!)
    }
  }
}

async function until(pred: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms
  while (!pred()) {
    if (Date.now() > end) throw new Error('condition not reached in time')
    await new Promise((r) => setTimeout(r, 25))
  }
}

describe('a client that reconnects', () => {
  it('rebuilds the same series as a client that never left, from the same running engine', async () => {
    const stayed = new Tab()
    await stayed.open()
    await stayed.resync()
    const tab = new Tab()
    await tab.open()
    await tab.resync()
    const { startedAt } = await tab.call<Health>('system.health', {})
    const opened = tab.t.length
    await until(() => tab.t.length > opened + 120)

    // The WebSocket drops (network, laptop lid, server restart of a proxy) while data flows on.
    tab.ws.terminate()
    const missedFrom = stayed.t.length
    await until(() => stayed.t.length > missedFrom + 120)

    await tab.open()
    await tab.resync()
    const seen = stayed.t.length
    await until(() => stayed.t.length > seen + 120 && tab.t.length > 0 && tab.t.at(-1)! >= stayed.t.at(-1)!)

    // Compare over what both hold: from the first sample the one that stayed saw, to the end.
    const end = Math.min(tab.t.at(-1)!, stayed.t.at(-1)!)
    const from = stayed.t[0]!
    const pick = (x: Tab) => {
      const rows = x.t.flatMap((t, i) => (t >= from && t <= end ? [[t, x.v[i]!]] : []))
      return rows
    }
    const a = pick(stayed)
    const b = pick(tab)
    expect(b.length).toBeGreaterThan(360)
    expect(b).toEqual(a)
    for (let i = 1; i < tab.t.length; i++) expect(tab.t[i]!).toBeGreaterThan(tab.t[i - 1]!)
    // Same engine: not restarted, still counting.
    const h = await tab.call<Health>('system.health', {})
    expect(h.startedAt).toBe(startedAt)
    stayed.ws.close()
    tab.ws.close()
  })
})
