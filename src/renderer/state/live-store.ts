import { createStore, type StoreApi } from 'zustand/vanilla'
import type { AssetView, LiveSnapshot } from '../../shared/contract.ts'
import type { ActiveFault, LiveMessage, ScoreBatch, SourceStatus } from '../../shared/samples.ts'
import { ColumnRing } from './column-ring.ts'
import { isDetector } from './model-kinds.ts'

/** 24 h at 1 Hz per asset: ~8 MB for ten tags, allocated once. */
export const SAMPLE_CAPACITY = 24 * 3600
/** Columns of AssetLive.scores. */
export const SCORE = 0
export const THRESHOLD = 1
export const ANOMALY = 2

/** The newest scored window, per sensor in the asset's tag order (NaN/255 for tags the model does not read). */
export interface LatestScore {
  t: number
  modelId: string
  score: number
  threshold: number
  anomaly: boolean
  contrib: Float64Array
  sensorState: Uint8Array
}

/**
 * One asset's live picture. The rings are mutated in place (no allocation per sample); `rev`
 * changes with every batch, and each change replaces this object, so subscribers compare
 * objects or revs to know something arrived.
 */
export interface AssetLive {
  id: string
  tags: string[]
  /** Model whose windows feed `scores`: the asset's first window detector (a predictor scores no windows). */
  primaryModel: string | null
  samples: ColumnRing
  scores: ColumnRing
  score: LatestScore | null
  faults: ActiveFault[]
  status: SourceStatus | null
  /** The pipeline's own state for this asset (a worker crash and its recovery), apart from the source's. */
  pipeline: SourceStatus | null
  counts: { windows: number; anomalies: number }
  rev: number
}

export interface LiveState {
  assets: Record<string, AssetLive>
}
export type LiveStore = StoreApi<LiveState>

export const createLiveStore = (): LiveStore => createStore<LiveState>(() => ({ assets: {} }))

/** Keeps the rings of assets whose tags did not change, so a reconnect does not blank the charts. */
export function ensureAssets(store: LiveStore, views: AssetView[], capacity = SAMPLE_CAPACITY): void {
  const prev = store.getState().assets
  const assets: Record<string, AssetLive> = {}
  for (const v of views) {
    const tags = v.tags.map((t) => t.id)
    const old = prev[v.id]
    const same = old && old.tags.length === tags.length && old.tags.every((t, i) => t === tags[i])
    assets[v.id] = same
      ? { ...old, primaryModel: v.models.find(isDetector)?.id ?? null }
      : {
          id: v.id,
          tags,
          primaryModel: v.models.find(isDetector)?.id ?? null,
          samples: new ColumnRing(tags.length, capacity, true),
          scores: new ColumnRing(3, capacity),
          score: null,
          faults: [],
          status: null,
          pipeline: null,
          counts: { windows: 0, anomalies: 0 },
          rev: 0,
        }
  }
  store.setState({ assets })
}

/**
 * Changes to several assets made together and published with one setState: a frame's worth
 * of live messages wakes each subscriber once, not once per message.
 */
class Draft {
  private next: Record<string, AssetLive> | null = null
  private readonly store: LiveStore
  constructor(store: LiveStore) {
    this.store = store
  }

  update(id: string, f: (a: AssetLive) => Partial<AssetLive> | void): void {
    const a = (this.next ?? this.store.getState().assets)[id]
    if (!a) return
    const patch = f(a) ?? {}
    this.next ??= { ...this.store.getState().assets }
    this.next[id] = { ...a, ...patch, rev: a.rev + 1 }
  }

  publish(): void {
    if (this.next) this.store.setState({ assets: this.next })
    this.next = null
  }
}

function update(store: LiveStore, id: string, f: (a: AssetLive) => Partial<AssetLive> | void): void {
  const d = new Draft(store)
  d.update(id, f)
  d.publish()
}

function appendScores(a: AssetLive, b: ScoreBatch): LatestScore | null {
  if (a.primaryModel && b.modelId !== a.primaryModel) return a.score
  const n = b.t.length
  if (n === 0) return a.score
  a.scores.append(b.t, [b.score, new Float64Array(n).fill(b.threshold), b.anomaly])
  const last = n - 1
  const w = b.tags.length
  const contrib = new Float64Array(a.tags.length).fill(NaN)
  const sensorState = new Uint8Array(a.tags.length).fill(255)
  b.tags.forEach((tag, j) => {
    const i = a.tags.indexOf(tag)
    if (i < 0) return
    contrib[i] = b.contrib[last * w + j]!
    sensorState[i] = b.sensorState[last * w + j]!
  })
  return {
    t: b.t[last]!,
    modelId: b.modelId,
    score: b.score[last]!,
    threshold: b.threshold,
    anomaly: b.anomaly[last] === 1,
    contrib,
    sensorState,
  }
}

/** Replaces an asset's picture with a snapshot (first load and every reconnect). */
export function applySnapshot(store: LiveStore, id: string, snap: LiveSnapshot): void {
  update(store, id, (a) => {
    a.samples.clear()
    a.samples.append(snap.samples.t, snap.samples.values, snap.samples.quality)
    a.scores.clear()
    const score = snap.scores ? appendScores({ ...a, score: null }, snap.scores) : null
    return { score, faults: snap.faults, status: snap.status, counts: { ...snap.counts } }
  })
}

export function applyLive(store: LiveStore, m: LiveMessage): void {
  applyLiveBatch(store, [m])
}

/** Applies messages in order and publishes the result once (the feed's once-per-frame flush). */
export function applyLiveBatch(store: LiveStore, messages: readonly LiveMessage[]): void {
  const d = new Draft(store)
  for (const m of messages) applyTo(d, m)
  d.publish()
}

function applyTo(d: Draft, m: LiveMessage): void {
  switch (m.topic) {
    case 'samples':
      return d.update(m.batch.assetId, (a) => {
        a.samples.append(m.batch.t, m.batch.values, m.batch.quality)
      })
    case 'scores':
      return d.update(m.batch.assetId, (a) => {
        let anomalies = 0
        for (let i = 0; i < m.batch.anomaly.length; i++) anomalies += m.batch.anomaly[i]!
        const counts =
          !a.primaryModel || m.batch.modelId === a.primaryModel
            ? { windows: a.counts.windows + m.batch.t.length, anomalies: a.counts.anomalies + anomalies }
            : a.counts
        return { score: appendScores(a, m.batch), counts }
      })
    case 'status':
      return d.update(m.status.assetId, () =>
        m.status.kind === 'pipeline' ? { pipeline: m.status } : { status: m.status },
      )
    case 'faults':
      return d.update(m.assetId, () => ({ faults: m.active }))
  }
}

/** The asset a message is about; '' for plant-wide ones (alarms, models), which never wait for a snapshot. */
export const assetOf = (m: LiveMessage): string =>
  m.topic === 'alarms' || m.topic === 'models'
    ? ''
    : m.topic === 'status'
      ? m.status.assetId
      : m.topic === 'faults'
        ? m.assetId
        : m.batch.assetId

/** The app's store; tests make their own with createLiveStore. */
export const liveStore = createLiveStore()
