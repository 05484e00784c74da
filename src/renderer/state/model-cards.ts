import { useEffect, useState } from 'react'
import type { ModelCard } from '../../shared/model-card.ts'
import { call } from '../api/index.ts'
import { useSession } from './use-live.ts'

/**
 * The loaded model cards, read once per page and again when the served models change (a model
 * fitted or dropped in: the session's modelsRevision), which is the only time they change.
 */
let cards: Promise<ModelCard[]> | null = null
let cardsRevision = 0

export function useModelCard(modelId: string | undefined): ModelCard | undefined {
  const [card, setCard] = useState<ModelCard | undefined>(undefined)
  const revision = useSession((s) => s.modelsRevision)
  useEffect(() => {
    if (!modelId) return
    if (revision !== cardsRevision) {
      cards = null
      cardsRevision = revision
    }
    cards ??= call('models.list', {}).then(
      (r) => r.models,
      (e: unknown) => {
        // A failed read is tried again by the next view that asks.
        cards = null
        throw e
      },
    )
    let live = true
    cards.then((list) => live && setCard(list.find((c) => c.id === modelId))).catch(() => {})
    return () => {
      live = false
    }
  }, [modelId, revision])
  return card
}

/** A RUL card's unit as shown beside numbers: "h" for hours, "cycles" for cycles. */
export const rulUnit = (card: ModelCard | undefined): string =>
  card?.rul?.unit === 'hours' ? 'h' : (card?.rul?.unit ?? '')
