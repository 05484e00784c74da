import { useEffect, useState } from 'react'
import type { HistoryStats } from '../../../shared/contract.ts'
import type { ModelCard } from '../../../shared/model-card.ts'
import { call, errorText } from '../../api/index.ts'
import type { ViewProps } from '../../shell/view.ts'
import { can, refreshPrincipal, useAuth } from '../../state/auth-store.ts'
import { useSession } from '../../state/use-live.ts'
import { ContributionPanel } from './ContributionPanel.tsx'
import { FitPanel } from './FitPanel.tsx'
import { ModelCardPanel } from './ModelCardPanel.tsx'
import './models.css'

interface ModelList {
  models: ModelCard[]
  errors: { folder: string; message: string }[]
}

/** The models the engine loaded (and refused), their cards, what they see in the history, and fitting a new one. */
export function ModelsView(_: ViewProps) {
  const plant = useSession((s) => s.plant)
  // A model fitted or dropped in while the view is open joins the list.
  const modelsRevision = useSession((s) => s.modelsRevision)
  const principal = useAuth((s) => s.principal)
  const [list, setList] = useState<ModelList | null>(null)
  const [stored, setStored] = useState<HistoryStats['assets']>([])
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    void refreshPrincipal().catch(() => {})
    call('models.list', {})
      .then(setList)
      .catch((e: unknown) => setError(errorText(e)))
    call('history.stats', {})
      .then((s) => setStored(s.assets.filter((a) => a.samples > 0)))
      .catch((e: unknown) => setError(errorText(e)))
  }, [modelsRevision])

  if (!list) return <p className="empty">{error ?? 'Reading the models…'}</p>
  // Assets a model scores first: the distribution has nothing to show for the others.
  const scoredIds = new Set((plant?.assets ?? []).filter((a) => a.models.length > 0).map((a) => a.id))
  const scored = [...stored].sort(
    (a, b) => Number(scoredIds.has(b.assetId)) - Number(scoredIds.has(a.assetId)),
  )
  const plantIds = (plant?.assets ?? []).map((a) => a.id)
  const rank = (id: string) => (plantIds.includes(id) ? plantIds.indexOf(id) : plantIds.length)
  const byPlant = [...stored].sort((a, b) => rank(a.assetId) - rank(b.assetId))
  const tagNames = new Map(
    (plant?.assets ?? []).flatMap((a) => a.tags.map((t) => [t.id, t.name ?? t.id] as const)),
  )
  const usedBy = (id: string) =>
    (plant?.assets ?? []).filter((a) => a.models.some((m) => m.id === id)).map((a) => a.id)
  return (
    <section className="models" data-testid="models-view">
      <h1>Models</h1>
      {error && <p className="banner banner-warning">{error}</p>}
      {list.errors.length > 0 && (
        <div className="model-errors" data-testid="model-errors">
          <h2>Not loaded</h2>
          <ul className="plain">
            {list.errors.map((e) => (
              <li key={`${e.folder}:${e.message}`} className="cell-critical">
                {e.folder}: {e.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="models-body">
        <div className="model-cards" data-testid="model-list">
          {list.models.length === 0 && <p className="empty">No model is loaded.</p>}
          {list.models.map((card) => (
            <ModelCardPanel key={card.id} card={card} usedBy={usedBy(card.id)} />
          ))}
        </div>
        <div className="models-tools">
          <ContributionPanel stored={scored} tagNames={tagNames} />
          <FitPanel stored={byPlant} mayFit={can(principal, 'configure')} />
        </div>
      </div>
    </section>
  )
}
