import { VigilError } from '../../shared/errors.ts'
import type { Annotation } from '../../shared/history-channels.ts'
import type { Store } from '../store/store.ts'
import type { StoredEvent } from '../store/history-types.ts'
import type { Handlers } from './dispatch.ts'

/** Annotations are events of this kind; the asset, author and tags ride in the event's data. */
export const ANNOTATION = 'annotation'

interface AnnotationData {
  assetId: string
  by: string
  at: number
  to?: number
  tags?: string[]
}

type HistoryHandlers = Pick<Handlers, 'history.scores' | 'history.annotate' | 'history.annotations'>

/**
 * A model's score history and the annotations on an asset's history. An annotation is stored
 * with the store's events (one writer, one file, kept by retention like the rest); the asset
 * is named in its data as well, because the events table only links assets the plant lists
 * and an imported asset can be annotated too.
 */
export function historyHandlers(store: Store, knownAsset: (id: string) => boolean): HistoryHandlers {
  const annotationsOf = async (assetId: string, from: number, to: number, limit = 1000) => {
    const events = await store.events({ kind: ANNOTATION, from, to, limit: 5000 })
    return events.flatMap((e) => toAnnotation(e, assetId)).slice(0, limit)
  }
  return {
    'history.scores': async (req) => ({ series: await store.scores(req) }),
    'history.annotate': async ({ assetId, t, to, text, tags }, ctx) => {
      if (!(await store.storedAsset(assetId)) && !knownAsset(assetId))
        throw new VigilError(
          'not-found',
          `history.annotate: no asset "${assetId}" in the plant or the history`,
        )
      const at = Date.now()
      const data: AnnotationData = {
        assetId,
        by: ctx.user,
        at,
        ...(to === undefined ? {} : { to }),
        ...(tags?.length ? { tags } : {}),
      }
      store.writeEvents([
        {
          t,
          ...(knownAsset(assetId) ? { assetId } : {}),
          kind: ANNOTATION,
          severity: 'info',
          message: text,
          data,
        },
      ])
      await store.flush()
      const written = (await annotationsOf(assetId, t, t + 1, 5000)).findLast(
        (a) => a.at === at && a.text === text,
      )
      if (!written)
        throw new VigilError('internal', 'history.annotate: the annotation was not found after writing')
      return { annotation: written }
    },
    'history.annotations': async ({ assetId, from, to, limit }) => ({
      annotations: await annotationsOf(assetId, from, to, limit),
    }),
  }
}

function toAnnotation(e: StoredEvent & { id: number }, assetId: string): Annotation[] {
  const d = e.data as Partial<AnnotationData> | undefined
  if (!d || d.assetId !== assetId) return []
  return [
    {
      id: e.id,
      assetId,
      t: e.t,
      ...(typeof d.to === 'number' ? { to: d.to } : {}),
      text: e.message,
      by: typeof d.by === 'string' ? d.by : 'unknown',
      ...(Array.isArray(d.tags) ? { tags: d.tags } : {}),
      at: typeof d.at === 'number' ? d.at : e.t,
    },
  ]
}
