import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Health, LiveSnapshot } from '../../shared/contract.ts'
import type { Result } from '../../shared/errors.ts'
import { PlantConfig } from '../../shared/plant.ts'
import type { SourceStatus } from '../../shared/samples.ts'
import { createEngine, type RunningEngine } from '../engine/engine.ts'
import { startHeadlessServer, type HeadlessServer } from '../server/headless-server.ts'
import { IngestKeys } from './ingest-keys.ts'
import { ingestRoute } from './ingest-route.ts'

const dir = mkdtempSync(join(tmpdir(), 'vigil-ingest-'))
const TOKEN = 'ingest-test-token-0123456789'
let engine: RunningEngine
let server: HeadlessServer
let base = ''
const key: Record<string, string> = {}
/** Every status PUMP-8's source reported, in order: its transitions, however briefly each held. */
const pump8: SourceStatus[] = []

const plant = PlantConfig.parse({
  name: 'Ingest test',
  assets: [
    {
      id: 'PUMP-7',
      name: 'Pump 7',
      class: 'pump',
      // Past anything this file's own pauses reach on a loaded machine: its state is what the readings made it.
      source: { kind: 'http', staleAfterS: 3600 },
      tags: [
        { id: 'Motor_RPM', unit: 'rpm', min: 0, max: 4000 },
        { id: 'Vibration_mm_s', unit: 'mm/s', min: 0, max: 50 },
      ],
    },
    {
      // The shortest silence allowed, for the test of going stale and coming back.
      id: 'PUMP-8',
      name: 'Pump 8',
      class: 'pump',
      source: { kind: 'http', staleAfterS: 1 },
      tags: [{ id: 'Motor_RPM', unit: 'rpm', min: 0, max: 4000 }],
    },
    {
      id: 'P-101',
      name: 'Simulated pump',
      class: 'pump',
      source: { kind: 'simulator', model: 'pump', speed: 1 },
      tags: [{ id: 'Motor_RPM', unit: 'rpm', min: 0, max: 4000 }],
    },
  ],
})

beforeAll(async () => {
  const models = join(dir, 'models')
  mkdirSync(models)
  const keys = new IngestKeys(dir)
  key.gw1 = keys.add('gw-1', 'PUMP-7', 50).key
  key.slow = keys.add('gw-slow', 'PUMP-7', 1).key
  key.sim = keys.add('gw-sim', 'P-101').key
  key.gw8 = keys.add('gw-8', 'PUMP-8', 50).key
  engine = await createEngine({ config: plant, dbPath: join(dir, 'ingest.db'), modelsDir: models })
  engine.subscribe((m) => {
    if (m.topic === 'status' && m.status.assetId === 'PUMP-8' && m.status.kind === 'http')
      pump8.push(m.status)
  })
  server = await startHeadlessServer({
    engine,
    rendererDir: dir,
    token: TOKEN,
    routes: [ingestRoute({ bus: engine.ingest, keys })],
  })
  base = `http://127.0.0.1:${server.port}`
})
afterAll(async () => {
  await server?.close()
  await engine?.stop()
  rmSync(dir, { recursive: true, force: true })
})

async function post(body: unknown, apiKey = key.gw1!, headers: Record<string, string> = {}) {
  const r = await fetch(`${base}/api/ingest`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { status: r.status, headers: r.headers, body: (await r.json()) as Record<string, unknown> }
}
const value = <T>(r: Result<unknown>) => {
  if (!r.ok) throw new Error(r.error.message)
  return r.value as T
}
let clock = Date.now() - 600_000
const next = () => (clock += 1000)

describe('POST /api/ingest', () => {
  it('takes one reading, readings and columns with a device key, into the same pipeline as every source', async () => {
    const t = [next(), next(), next(), next(), next(), next()]
    expect(
      await post({ asset: 'PUMP-7', timestamp: new Date(t[0]!).toISOString(), Motor_RPM: 2900 }),
    ).toMatchObject({ status: 200, body: { accepted: 1, asset: 'PUMP-7' } })
    const batch = {
      device: 'gw-1',
      readings: [
        { timestamp: t[1], Motor_RPM: 2901, Vibration_mm_s: 2.1 },
        { timestamp: t[2], Motor_RPM: 2902, Vibration_mm_s: 2.2 },
      ],
    }
    expect((await post(batch)).body).toEqual({ accepted: 2, asset: 'PUMP-7' })
    const columns = { timestamp: t.slice(3), Motor_RPM: [2903, 2904, 2905], Vibration_mm_s: [2.3, null, 2.5] }
    expect((await post(columns, key.gw1, { 'X-Api-Key': key.gw1!, Authorization: '' })).body).toEqual({
      accepted: 3,
      asset: 'PUMP-7',
    })
    await engine.settle()
    const snap = value<LiveSnapshot>(
      await engine.dispatch('live.snapshot', { assetId: 'PUMP-7', seconds: 3600 }),
    )
    expect(Array.from(snap.samples.t)).toEqual(t)
    expect(Array.from(snap.samples.values[0]!)).toEqual([2900, 2901, 2902, 2903, 2904, 2905])
    expect(snap.samples.values[1]![4]).toBeNaN()
    const h = value<Health>(await engine.dispatch('system.health', {}))
    const src = h.sources.find((s) => s.assetId === 'PUMP-7')!
    expect(src).toMatchObject({ kind: 'http', state: 'running', lastSampleAt: t[5] })
    expect(src.samplesPerS).toBeGreaterThan(0)
    const sim = h.sources.find((s) => s.assetId === 'P-101')!
    expect(sim.kind).toBe('simulator')
    expect(sim.samplesPerS).toBeGreaterThanOrEqual(0)
  })

  it('answers a bad body 400 naming each field, and a time already taken 409', async () => {
    const r = await post({ timestamp: '31/01/2025 08:00', Motor_RPM: 'fast', Flow: 3 })
    expect(r.status).toBe(400)
    expect(r.body.fields).toEqual([
      {
        field: 'timestamp',
        problem: 'must be ISO 8601 with a zone (2025-01-31T08:00:00Z) or epoch milliseconds',
      },
      { field: 'Motor_RPM', problem: 'must be a finite number or null' },
      { field: 'Flow', problem: 'is not a tag of asset PUMP-7 (its tags: Motor_RPM, Vibration_mm_s)' },
    ])
    expect((await post('{"Motor_RPM": ')).body).toMatchObject({
      error: 'bad-request',
      fields: [{ field: '' }],
    })
    const old = await post({ timestamp: clock - 5000, Motor_RPM: 1 })
    expect(old.status).toBe(409)
    expect(old.body.message).toMatch(/is not after the last accepted reading/)
    expect((await post({ Motor_RPM: 1 }, key.gw1, { 'Content-Type': 'text/plain' })).status).toBe(415)
    expect(
      (await fetch(`${base}/api/ingest`, { headers: { Authorization: `Bearer ${key.gw1}` } })).status,
    ).toBe(405)
  })

  it('refuses a missing or unknown key (the access token is not one), another asset, and an asset not fed over HTTP', async () => {
    expect((await post({ Motor_RPM: 1 }, '')).status).toBe(401)
    expect((await post({ Motor_RPM: 1 }, 'vgk_guess')).body).toMatchObject({ error: 'unauthorized' })
    expect((await post({ Motor_RPM: 1 }, TOKEN)).status).toBe(401)
    expect((await post({ asset: 'P-101', Motor_RPM: 1 })).body.message).toMatch(
      /device gw-1 may write asset PUMP-7 only, not "P-101"/,
    )
    expect((await post({ device: 'gw-2', Motor_RPM: 1 })).status).toBe(403)
    const sim = await post({ Motor_RPM: 1 }, key.sim)
    expect(sim.status).toBe(404)
    expect(sim.body.message).toMatch(/P-101 is not fed over HTTP/)
    // The device key opens /api/ingest only; the token and Origin rules hold everywhere else.
    expect((await fetch(`${base}/`, { headers: { Authorization: `Bearer ${key.gw1}` } })).status).toBe(401)
    expect((await post({ Motor_RPM: 1 }, key.gw1, { Origin: 'http://evil.example' })).status).toBe(403)
  })

  it('holds a device to its rate: 429 with Retry-After, other devices unaffected', async () => {
    const codes: number[] = []
    let retry: string | null = null
    for (let i = 0; i < 4; i++) {
      const r = await post({ timestamp: next(), Motor_RPM: 1 }, key.slow)
      codes.push(r.status)
      if (r.status === 429) retry = r.headers.get('retry-after')
    }
    expect(codes.slice(0, 2)).toEqual([200, 200])
    expect(codes.slice(2)).toContain(429)
    expect(Number(retry)).toBeGreaterThanOrEqual(1)
    expect((await post({ timestamp: next(), Motor_RPM: 1 })).status).toBe(200)
  })

  it('goes stale when readings stop and running again when they come back', async () => {
    const state = async () =>
      value<Health>(await engine.dispatch('system.health', {})).sources.find((s) => s.assetId === 'PUMP-8')!
    const end = Date.now() + 10_000
    while ((await state()).state !== 'stale' && Date.now() < end) await new Promise((r) => setTimeout(r, 200))
    expect(await state()).toMatchObject({ state: 'stale', message: 'no reading for 1 s' })
    const t = next()
    expect((await post({ timestamp: t, Motor_RPM: 3 }, key.gw8)).status).toBe(200)
    // The source reports running as it takes the reading, before the answer goes out; read from
    // the status stream, since on a loaded machine a second may pass before the next look and
    // turn it stale again, rightly.
    const stale = pump8.findIndex((s) => s.state === 'stale')
    expect(pump8[stale]).toMatchObject({ message: 'no reading for 1 s' })
    expect(pump8.slice(stale + 1)[0]).toMatchObject({ state: 'running', message: 'readings arrive again' })
    const back = await state()
    expect(back.lastSampleAt).toBe(t)
    expect(back.lastError).toMatchObject({ message: 'no reading for 1 s' })
  })

  it('locks out an address after ten wrong keys, before looking at the next one', async () => {
    let last = 0
    for (let i = 0; i < 12 && last !== 429; i++)
      last = (await post({ Motor_RPM: 1 }, `vgk_wrong_${i}`)).status
    expect(last).toBe(429)
    const r = await post({ timestamp: next(), Motor_RPM: 1 })
    expect(r.status).toBe(429)
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0)
  })
})
