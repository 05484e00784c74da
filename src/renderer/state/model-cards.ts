import { useEffect, useState } from 'react'
import type { ModelCard } from '../../shared/model-card.ts'
import { call } from '../api/index.ts'

/** The loaded model cards, read once per page (they change only when a model is fitted or added). */
let cards: Promise<ModelCard[]> | null = null

export function useModelCard(modelId: string | undefined): ModelCard | undefined {
  const [card, setCard] = useState<ModelCard | undefined>(undefined)
  useEffect(() => {
    if (!modelId) return
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
  }, [modelId])
  return card
}

/** A RUL card's unit as shown beside numbers: "h" for hours, "cycles" for cycles. */
export const rulUnit = (card: ModelCard | undefined): string =>
  card?.rul?.unit === 'hours' ? 'h' : (card?.rul?.unit ?? '')
