import { useEffect } from 'react'
import { useStore } from 'zustand'
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { ModelPredictions } from '../../shared/model-channels.ts'
import type { PredictionBatch } from '../../shared/samples.ts'
import type { SetpointAdvice } from '../../shared/suggestion.ts'
import { call, errorText, onLive } from '../api/index.ts'
import { liveStore } from './live-store.ts'

/*
 * Predictions of the predictors (RUL, defect per cast, setpoint advice) per asset and model:
 * the logged history read once through models.predictions, then the live stream's batches
 * appended. They are rare (a few a minute per asset), so plain arrays of points suffice.
 */

/** One prediction; fields a kind lacks are absent. */
export interface PredictionPoint {
  t: number
  value: number
  flagged: boolean
  spread?: number
  confidence?: number
  members?: Record<string, number>
  unit?: number
  advice?: SetpointAdvice
}

export interface PredictionSeries {
  kind: string
  threshold: number
  /** Oldest first, at most MAX_POINTS. */
  points: PredictionPoint[]
  /** The logged history has been read (or failed: `error`). */
  loaded: boolean
  error?: string
}

export const MAX_POINTS = 2000
/** History read when a view first asks: a day of data time before the newest sample. */
const HISTORY_MS = 24 * 3600_000

export interface PredictionState {
  series: Record<string, PredictionSeries>
}
export type PredictionStore = StoreApi<PredictionState>
export const createPredictionStore = (): PredictionStore =>
  createStore<PredictionState>(() => ({ series: {} }))
export const predictionStore = createPredictionStore()

export const seriesKey = (assetId: string, modelId: string) => `${assetId}/${modelId}`

type Columns = Pick<
  PredictionBatch,
  't' | 'value' | 'flagged' | 'spread' | 'confidence' | 'members' | 'unit'
> & {
  advice?: unknown[]
}

/** Points of a batch or a logged series, column by column. */
export function pointsOf(c: Columns): PredictionPoint[] {
  return Array.from(c.t, (t, i) => {
    const p: PredictionPoint = { t, value: c.value[i]!, flagged: c.flagged[i] === 1 }
    if (c.spread) p.spread = c.spread[i]!
    if (c.confidence) p.confidence = c.confidence[i]!
    if (c.unit) p.unit = c.unit[i]!
    if (c.members) p.members = Object.fromEntries(Object.entries(c.members).map(([k, v]) => [k, v[i]!]))
    const a = c.advice?.[i]
    if (a) p.advice = a as SetpointAdvice
    return p
  })
}

/** Both lists as one, by time, each time once (the live copy wins), the newest MAX_POINTS. */
export function mergePoints(a: PredictionPoint[], b: PredictionPoint[]): PredictionPoint[] {
  const byT = new Map<number, PredictionPoint>()
  for (const p of a) byT.set(p.t, p)
  for (const p of b) byT.set(p.t, p)
  return [...byT.values()].sort((x, y) => x.t - y.t).slice(-MAX_POINTS)
}

function put(
  store: PredictionStore,
  key: string,
  patch: Partial<PredictionSeries>,
  points: PredictionPoint[],
) {
  store.setState((s) => {
    const old = s.series[key] ?? { kind: '', threshold: NaN, points: [], loaded: false }
    return {
      series: { ...s.series, [key]: { ...old, ...patch, points: mergePoints(old.points, points) } },
    }
  })
}

export function applyPredictionBatch(store: PredictionStore, b: PredictionBatch): void {
  put(store, seriesKey(b.assetId, b.modelId), { kind: b.kind, threshold: b.threshold }, pointsOf(b))
}

export function applyLogged(store: PredictionStore, key: string, logged: ModelPredictions[]): void {
  const points = logged.flatMap((m) => pointsOf(m))
  const last = logged.at(-1)
  const n = last?.threshold.length ?? 0
  put(
    store,
    key,
    {
      loaded: true,
      error: undefined,
      ...(last ? { kind: last.kind, ...(n ? { threshold: last.threshold[n - 1]! } : {}) } : {}),
    },
    points,
  )
}

/** Started on first use and kept: a view opened later must not miss what came meanwhile. */
let feeding = false
const requested = new Set<string>()

/** Reads a series' logged day once per page; the engine answers not-found before its first prediction. */
async function loadHistory(assetId: string, modelId: string): Promise<void> {
  const key = seriesKey(assetId, modelId)
  if (requested.has(key)) return
  requested.add(key)
  const newest = liveStore.getState().assets[assetId]?.samples.lastT()
  const to = Math.max(Date.now(), Number.isFinite(newest) ? newest! : 0) + 3600_000
  try {
    const { series } = await call('models.predictions', {
      assetId,
      modelId,
      from: to - 3600_000 - HISTORY_MS,
      to,
      limit: MAX_POINTS,
    })
    applyLogged(predictionStore, key, series)
  } catch (e) {
    const text = errorText(e)
    // Nothing logged yet is not a failure: the live stream will bring the first.
    const none = /no logged predictions/.test(text)
    put(predictionStore, key, { loaded: true, ...(none ? {} : { error: text }) }, [])
    if (!none) requested.delete(key)
  }
}

/**
 * One model's predictions on one asset for React: history on first use, then live. Pass
 * modelId undefined when the asset has no such model (the hook is still called, as hooks must).
 */
export function usePredictions(assetId: string, modelId: string | undefined): PredictionSeries | undefined {
  useEffect(() => {
    if (!modelId) return
    if (!feeding) {
      feeding = true
      onLive((m) => {
        if (m.topic === 'predictions') applyPredictionBatch(predictionStore, m.batch)
      })
    }
    void loadHistory(assetId, modelId)
  }, [assetId, modelId])
  return useStore(predictionStore, (s) => (modelId ? s.series[seriesKey(assetId, modelId)] : undefined))
}
