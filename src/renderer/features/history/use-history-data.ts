import { useEffect, useState } from 'react'
import type { SeriesBlock } from '../../../shared/contract.ts'
import type { Annotation, ScoreHistory } from '../../../shared/history-channels.ts'
import { call, errorText } from '../../api/index.ts'

export interface HistoryQuery {
  assetId: string
  /** undefined: every tag of the asset. */
  tags: string[] | undefined
  from: number
  to: number
  /** Buckets per tag: the plot's width in pixels, so each zoom is drawn from about a point per pixel. */
  points: number
  /** How far back the compared period lies; 0: no comparison. */
  shift: number
}

export interface HistoryData {
  query: HistoryQuery
  block: SeriesBlock
  before: SeriesBlock | null
  scores: ScoreHistory[]
  /** Round trip of the range queries, ms. */
  ms: number
}

/**
 * The range, the compared period and the model scores for one query, asked for together.
 * An answer to a query the user has already left (zoomed again, changed tags) is dropped.
 */
export function useHistoryData(q: HistoryQuery | null): {
  data: HistoryData | null
  loading: boolean
  error: string | null
} {
  const [data, setData] = useState<HistoryData | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [loading, setLoading] = useState(false)
  const key = q ? JSON.stringify(q) : ''
  useEffect(() => {
    if (!q) return
    let current = true
    setLoading(true)
    const started = performance.now()
    const range = { assetId: q.assetId, ...(q.tags ? { tags: q.tags } : {}), maxPoints: q.points }
    Promise.all([
      call('history.range', { ...range, from: q.from, to: q.to }),
      q.shift ? call('history.range', { ...range, from: q.from - q.shift, to: q.to - q.shift }) : null,
      call('history.scores', { assetId: q.assetId, from: q.from, to: q.to, maxPoints: q.points }).catch(
        // An asset no model scores still has a history to show.
        () => ({ series: [] }),
      ),
    ])
      .then(([block, before, scores]) => {
        if (!current) return
        setData({ query: q, block, before, scores: scores.series, ms: performance.now() - started })
        setError(null)
      })
      .catch((e: unknown) => {
        if (current) setError(errorText(e))
      })
      .finally(() => {
        if (current) setLoading(false)
      })
    return () => {
      current = false
    }
    // The key holds every field of the query.
  }, [key])
  return { data, loading, error }
}

/** Annotations in the range; `version` bumps after one is added so the list re-reads. */
export function useAnnotations(
  assetId: string,
  from: number,
  to: number,
  version: number,
): { annotations: Annotation[]; error: string | null } {
  const [annotations, setAnnotations] = useState<Annotation[]>([])
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    if (!assetId || !(from < to)) return
    let current = true
    call('history.annotations', { assetId, from, to })
      .then((r) => {
        if (!current) return
        setAnnotations(r.annotations)
        setError(null)
      })
      .catch((e: unknown) => {
        if (current) setError(errorText(e))
      })
    return () => {
      current = false
    }
  }, [assetId, from, to, version])
  return { annotations, error }
}
