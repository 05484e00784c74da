import { afterEach, describe, expect, it } from 'vitest'
import { WebSocketServer, type WebSocket as ServerSocket } from 'ws'
import type { AssetView, LiveSnapshot } from '../../shared/contract.ts'
import type { PredictionBatch } from '../../shared/samples.ts'
import { decode, encode } from '../../shared/wire.ts'
import { createWsClient } from '../api/ws-client.ts'
import { startFeed } from './feed.ts'
import { applyLive, applyLiveBatch, createLiveStore, ensureAssets, SCORE } from './live-store.ts'
import { createPredictionStore, seriesKey } from './prediction-store.ts'
import { createSessionStore } from './session-store.ts'

const asset: AssetView = {
  id: 'P-101',
  name: 'Pump',
  class: 'pump',
  tags: [
    { id: 'A', unit: 'bar', min: 0, max: 10 },
    { id: 'B', unit: 'C', min: 0, max: 100 },
  ],
  models: [{ id: 'pump-ae', version: '1', threshold: 0.5, window: 30 }],
}

const f64 = (...v: number[]) => new Float64Array(v)
const samples = (t0: number, n: number) => ({
  assetId: 'P-101',
  t: f64(...Array.from({ length: n }, (_, i) => t0 + i * 1000)),
  values: [f64(...Array.from({ length: n }, (_, i) => t0 / 1000 + i)), new Float64Array(n).fill(NaN)],
  quality: [new Uint8Array(n), new Uint8Array(n).fill(8)],
})

/** The snapshot's latest RUL of the asset: one row, as the hub keeps it. */
const rulPrediction = (t: number): PredictionBatch => ({
  assetId: 'P-101',
  modelId: 'rul-1',
  modelVersion: '1',
  kind: 'rul',
  t: f64(t),
  value: f64(412),
  threshold: 48,
  flagged: new Uint8Array([0]),
  spread: f64(21),
  latencyMs: 3,
})

/** Plays the engine's side of the socket: the plant, snapshots that end at `now`, pushes on demand. */
async function startEngine() {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise<void>((r) => wss.once('listening', () => r()))
  const sockets: ServerSocket[] = []
  let now = 10_000
  let snapshots = 0
  let describes = 0
  let models = asset.models
  wss.on('connection', (ws) => {
    sockets.push(ws)
    ws.on('message', (data: Buffer) => {
      const { id, method } = decode(data) as { id: number; method: string }
      if (method === 'plant.describe') {
        describes++
        ws.send(encode({ id, result: { ok: true, value: { name: 'T', assets: [{ ...asset, models }] } } }))
      }
      if (method === 'live.snapshot') {
        snapshots++
        const snap: LiveSnapshot = {
          samples: samples(now - 4000, 5),
          scores: null,
          faults: [],
          status: { assetId: 'P-101', kind: 'simulator', state: 'running', at: now },
          counts: { windows: 0, anomalies: 0 },
          predictions: [rulPrediction(now - 2000)],
        }
        // A live batch overlapping the snapshot goes out first, as it can when both race.
        ws.send(encode({ topic: 'samples', batch: samples(now - 1000, 3) }))
        ws.send(encode({ id, result: { ok: true, value: snap } }))
      }
    })
  })
  const port = (wss.address() as { port: number }).port
  return {
    wss,
    sockets,
    url: `ws://127.0.0.1:${port}/ws`,
    advance: (ms: number) => (now += ms),
    snapshots: () => snapshots,
    describes: () => describes,
    /** A model joins the running engine: the plant lists it, and a 'models' message says so. */
    serve(model: AssetView['models'][number], revision: number) {
      models = [...models, model]
      for (const ws of sockets)
        ws.send(encode({ topic: 'models', revision, modelId: model.id, assetIds: ['P-101'] }))
    },
  }
}

const until = async (cond: () => boolean, what: string) => {
  for (let i = 0; i < 300 && !cond(); i++) await new Promise((r) => setTimeout(r, 10))
  if (!cond()) throw new Error(`timed out waiting for ${what}`)
}

const cleanup: (() => void)[] = []
afterEach(() => cleanup.splice(0).forEach((f) => f()))

describe('feed', () => {
  it('fills the rings from a snapshot and appends racing live rows exactly once', async () => {
    const engine = await startEngine()
    const client = createWsClient({ url: engine.url, minDelayMs: 20 })
    const live = createLiveStore()
    const session = createSessionStore()
    const stop = startFeed(client, { live, session })
    cleanup.push(
      stop,
      () => client.close(),
      () => engine.wss.close(),
    )
    await until(() => (live.getState().assets['P-101']?.samples.length ?? 0) >= 6, 'snapshot and live rows')
    const a = live.getState().assets['P-101']!
    const ts = Array.from({ length: a.samples.length }, (_, i) => a.samples.t[a.samples.slot(i)])
    expect(ts).toEqual([6000, 7000, 8000, 9000, 10000, 11000])
    expect(a.samples.latest(0)).toBe(11)
    expect(a.samples.latestQuality(1)).toBe(8)
    expect(a.status?.state).toBe('running')
    expect(session.getState().plant?.assets[0]?.id).toBe('P-101')
    expect(session.getState().connection.state).toBe('open')
  })

  it("puts each predictor's latest output from the snapshot in the prediction store at once", async () => {
    const engine = await startEngine()
    const client = createWsClient({ url: engine.url, minDelayMs: 20 })
    const predictions = createPredictionStore()
    const stop = startFeed(client, { live: createLiveStore(), session: createSessionStore(), predictions })
    cleanup.push(
      stop,
      () => client.close(),
      () => engine.wss.close(),
    )
    const key = seriesKey('P-101', 'rul-1')
    await until(
      () => (predictions.getState().series[key]?.points.length ?? 0) > 0,
      'the RUL from the snapshot',
    )
    const s = predictions.getState().series[key]!
    expect(s.kind).toBe('rul')
    expect(s.threshold).toBe(48)
    expect(s.points).toEqual([{ t: 8000, value: 412, flagged: false, spread: 21 }])
  })

  it('resynchronises after the server drops the connection, without duplicating rows', async () => {
    const engine = await startEngine()
    const client = createWsClient({ url: engine.url, minDelayMs: 20 })
    const live = createLiveStore()
    const session = createSessionStore()
    const stop = startFeed(client, { live, session })
    cleanup.push(
      stop,
      () => client.close(),
      () => engine.wss.close(),
    )
    await until(
      () => engine.snapshots() === 1 && (live.getState().assets['P-101']?.samples.length ?? 0) === 6,
      'load',
    )
    const states: string[] = []
    session.subscribe((s) => states.push(s.connection.state))
    engine.advance(60_000)
    engine.sockets[0]!.terminate()
    await until(
      () => engine.snapshots() === 2 && live.getState().assets['P-101']!.samples.lastT() === 71_000,
      'resync',
    )
    const a = live.getState().assets['P-101']!
    expect(states).toContain('closed')
    expect(a.samples.length).toBe(6)
    expect(a.samples.t[a.samples.slot(0)]).toBe(66_000)
  })

  it("shows a model served while the window is open from the engine's 'models' message, without a resync", async () => {
    const engine = await startEngine()
    const client = createWsClient({ url: engine.url, minDelayMs: 20 })
    const live = createLiveStore()
    const session = createSessionStore()
    const stop = startFeed(client, { live, session })
    cleanup.push(
      stop,
      () => client.close(),
      () => engine.wss.close(),
    )
    await until(() => (live.getState().assets['P-101']?.samples.length ?? 0) === 6, 'load')
    const ring = live.getState().assets['P-101']!.samples
    expect(session.getState().modelsRevision).toBe(0)
    engine.serve({ id: 'hand-rul', version: '1', threshold: 48, window: 10, kind: 'rul' }, 1)
    await until(() => session.getState().modelsRevision === 1, 'the models message applied')
    expect(session.getState().plant!.assets[0]!.models.map((m) => m.id)).toEqual(['pump-ae', 'hand-rul'])
    // The plant alone is re-read: no second snapshot, the rings kept as they were.
    expect(engine.describes()).toBe(2)
    expect(engine.snapshots()).toBe(1)
    expect(live.getState().assets['P-101']!.samples).toBe(ring)
    expect(live.getState().assets['P-101']!.primaryModel).toBe('pump-ae')
  })

  it('keeps the latest window of the primary model, per sensor in the asset tag order', () => {
    const store = createLiveStore()
    ensureAssets(store, [asset])
    // Tags arrive in the model's order, which need not be the asset's.
    applyLive(store, {
      topic: 'scores',
      batch: {
        assetId: 'P-101',
        modelId: 'pump-ae',
        modelVersion: '1',
        tags: ['B', 'A'],
        threshold: 0.5,
        t: f64(1000, 2000),
        score: f64(0.2, 0.9),
        anomaly: new Uint8Array([0, 1]),
        contrib: f64(0.5, 0.5, 0.8, 0.2),
        sensorState: new Uint8Array([0, 0, 2, 0]),
        latencyMs: 1,
      },
    })
    const a = store.getState().assets['P-101']!
    expect(a.score?.anomaly).toBe(true)
    expect(Array.from(a.score!.contrib)).toEqual([0.2, 0.8])
    expect(Array.from(a.score!.sensorState)).toEqual([0, 2])
    expect(a.scores.latest(SCORE)).toBe(0.9)
    expect(a.counts).toEqual({ windows: 2, anomalies: 1 })
  })
  it("applies a frame's live messages together: every row lands, subscribers hear once", () => {
    const store = createLiveStore()
    const other = { ...asset, id: 'P-102' }
    ensureAssets(store, [asset, other])
    let published = 0
    store.subscribe(() => published++)
    applyLiveBatch(store, [
      { topic: 'samples', batch: samples(1000, 2) },
      { topic: 'samples', batch: { ...samples(1000, 3), assetId: 'P-102' } },
      { topic: 'samples', batch: samples(3000, 2) },
    ])
    expect(published).toBe(1)
    const a = store.getState().assets
    expect(a['P-101']!.samples.length).toBe(4)
    expect(a['P-101']!.samples.lastT()).toBe(4000)
    expect(a['P-101']!.rev).toBe(2)
    expect(a['P-102']!.samples.length).toBe(3)
    expect(a['P-102']!.rev).toBe(1)
  })
})
