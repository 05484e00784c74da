import { VigilError } from '../../shared/errors.ts'
import type { PlantConfig } from '../../shared/plant.ts'
import { contributionSummary } from '../models/contribution-summary.ts'
import { fitFromHistory } from '../models/fit/fit-from-history.ts'
import { loadModel, type LoadedModel } from '../models/registry.ts'
import type { Store } from '../store/store.ts'
import type { Handlers } from './dispatch.ts'

type ModelHandlers = Pick<
  Handlers,
  'models.fit' | 'models.contributions' | 'models.figures' | 'models.predictions'
>

export interface ModelHandlerDeps {
  store: Store
  plant: PlantConfig
  models: LoadedModel[]
  /** Where fitted models are written; undefined: the engine keeps none and models.fit says so. */
  userModelsDir: string | undefined
  /** Told of a model just fitted and checked by the registry, to serve it to its asset at once. */
  onFitted?: (model: LoadedModel, assetId: string) => void
}

/**
 * Fitting a baseline detector on stored history, which sensors carry a model's error, and
 * what each model has predicted (its logged outputs and its figures). A fitted model is
 * written as a folder under the user's models, loaded through the registry's checks like any
 * other, and served to the asset it was fitted on from the pipeline threads' next message
 * (onFitted): no restart. The plant file is not rewritten, so the answer says how to keep it.
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
        const fitted = await fitFromHistory(req, {
          range: (r) => d.store.range(r),
          userModelsDir: d.userModelsDir,
          takenIds: d.models.map((m) => m.card.id),
          assetClass: d.plant.assets.find((a) => a.id === req.assetId)?.class,
        })
        if (!d.onFitted) return fitted
        const id = fitted.card.id
        // The registry's own checks (card, hash, graph) before anything scores with it.
        d.onFitted(loadModel(fitted.dir), req.assetId)
        return {
          ...fitted,
          active: true,
          message:
            `Written to ${fitted.dir} and scoring ${req.assetId} from now on. To keep it after a restart, ` +
            `add "${id}" to the models of ${req.assetId} in the plant configuration.`,
        }
      } finally {
        fitting.delete(id)
      }
    },
    'models.contributions': async (req) => ({
      models: await contributionSummary((r) => d.store.predictions(r), req),
    }),
    'models.figures': async (req) => ({ models: await d.store.modelFigures(req) }),
    'models.predictions': async (req) => ({ series: await d.store.modelPredictions(req) }),
  }
}
