import type { VigilClient } from '../api/client.ts'
import { errorText } from '../api/error-text.ts'
import type { LiveMessage } from '../../shared/samples.ts'
import { onNextFrame } from './frame-loop.ts'
import {
  applyLiveBatch,
  applySnapshot,
  assetOf,
  ensureAssets,
  liveStore,
  type LiveStore,
} from './live-store.ts'
import { applyPredictionBatch, predictionStore, type PredictionStore } from './prediction-store.ts'
import { notify, sessionStore, type SessionStore } from './session-store.ts'

/** A hidden window gets no animation frames: its live messages are applied by a timer this late. */
const FLUSH_LATEST_MS = 250

export interface FeedOptions {
  live?: LiveStore
  session?: SessionStore
  /** Where each snapshot's latest predictions go (the RUL, cast risk and advice panels read it). */
  predictions?: PredictionStore
  /** Seconds of history each snapshot fills the rings with: the longest live window. */
  snapshotSeconds?: number
}

/**
 * Wires a client to the stores: every time the connection opens (first load and every
 * reconnect) it fetches the plant and a snapshot per asset (its predictors' latest outputs go
 * to the prediction store); live messages for an asset whose snapshot is in flight wait and
 * are applied after it, the ring skipping rows it already holds. A 'models' message (a model
 * joined the running engine) re-reads the plant alone: the rings and snapshots stay.
 * The others are gathered and applied together once per animation frame (state/frame-loop.ts),
 * however many arrive: the store publishes once and each chart redraws at most once per frame.
 * Returns the stop.
 */
export function startFeed(client: VigilClient, opts: FeedOptions = {}): () => void {
  const live = opts.live ?? liveStore
  const session = opts.session ?? sessionStore
  const predictions = opts.predictions ?? predictionStore
  const seconds = opts.snapshotSeconds ?? 3600
  const waiting = new Map<string, LiveMessage[]>()
  let generation = 0
  let modelsAsked = 0
  let pending: LiveMessage[] = []
  const flush = () => {
    const messages = pending
    pending = []
    applyLiveBatch(live, messages)
  }

  async function loadAsset(id: string, gen: number): Promise<void> {
    waiting.set(id, [])
    try {
      const snap = await client.call('live.snapshot', { assetId: id, seconds })
      if (gen !== generation) return
      applySnapshot(live, id, snap)
      // A panel shows the asset's latest RUL, cast risk or advice at once, not after the next one.
      for (const p of snap.predictions) applyPredictionBatch(predictions, p)
    } catch (e) {
      if (gen === generation) notify(session, `${id}: ${errorText(e)}`)
    } finally {
      const queued = waiting.get(id) ?? []
      waiting.delete(id)
      if (gen === generation) applyLiveBatch(live, queued)
    }
  }

  async function resync(): Promise<void> {
    const gen = ++generation
    waiting.clear()
    try {
      const plant = await client.call('plant.describe', {})
      if (gen !== generation) return
      session.setState({ plant })
      ensureAssets(live, plant.assets)
      // An imported asset has no live snapshot to load; its history is read on demand.
      const streamed = plant.assets.filter((a) => a.origin !== 'imported')
      await Promise.all(streamed.map((a) => loadAsset(a.id, gen)))
    } catch (e) {
      if (gen === generation) notify(session, errorText(e))
    }
  }

  /** A model now serves some assets: their model lists (the panels they show) are re-read. */
  async function modelsChanged(): Promise<void> {
    const gen = generation
    const asked = ++modelsAsked
    try {
      const plant = await client.call('plant.describe', {})
      // A reconnect since re-reads the plant itself; a later change's answer is the newer plant.
      if (gen !== generation || asked !== modelsAsked) return
      session.setState((s) => ({ plant, modelsRevision: s.modelsRevision + 1 }))
      ensureAssets(live, plant.assets)
    } catch (e) {
      if (gen === generation) notify(session, errorText(e))
    }
  }

  const offConn = client.onConnection((c) => {
    session.setState({ connection: c })
    if (c.state === 'open') void resync()
    else generation++
  })
  const offLive = client.onLive((m) => {
    if (m.topic === 'models') return void modelsChanged()
    const q = waiting.get(assetOf(m))
    if (q) q.push(m)
    else {
      pending.push(m)
      onNextFrame(flush, { latestMs: FLUSH_LATEST_MS })
    }
  })
  return () => {
    generation++
    pending = []
    offConn()
    offLive()
  }
}
