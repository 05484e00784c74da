import { VigilError } from '../../shared/errors.ts'
import type { PlantConfig } from '../../shared/plant.ts'
import { contributionSummary } from '../models/contribution-summary.ts'
import { fitFromHistory } from '../models/fit/fit-from-history.ts'
import type { LoadedModel } from '../models/registry.ts'
import type { Store } from '../store/store.ts'
import type { Handlers } from './dispatch.ts'

type ModelHandlers = Pick<Handlers, 'models.fit' | 'models.contributions'>

export interface ModelHandlerDeps {
  store: Store
  plant: PlantConfig
  models: LoadedModel[]
  /** Where fitted models are written; undefined: the engine keeps none and models.fit says so. */
  userModelsDir: string | undefined
}

/**
 * Fitting a baseline detector on stored history, and which sensors carry a model's error.
 * A fitted model is written as a folder the registry loads at the next start: the running
 * pipeline's workers hold their ONNX sessions and the plant's asset-to-model map, and
 * swapping those under live data is a restart's job, so the answer says so.
 */
export function modelHandlers(d: ModelHandlerDeps): ModelHandlers {
  /** Ids being fitted now: two fits of one id would both find its folder free. */
  const fitting = new Set<string>()
  return {
    'models.fit': async (req) => {
      const id = req.id ?? `${req.assetId} (default id)`
      if (fitting.has(id)) throw new VigilError('bad-request', `models.fit: a fit of ${id} is under way`)
      fitting.add(id)
      try {
        return await fitFromHistory(req, {
          range: (r) => d.store.range(r),
          userModelsDir: d.userModelsDir,
          takenIds: d.models.map((m) => m.card.id),
          assetClass: d.plant.assets.find((a) => a.id === req.assetId)?.class,
        })
      } finally {
        fitting.delete(id)
      }
    },
    'models.contributions': async (req) => ({
      models: await contributionSummary((r) => d.store.predictions(r), req),
    }),
  }
}
