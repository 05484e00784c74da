import { resolve, sep } from 'node:path'
import type { PlantConfig } from '../../shared/plant.ts'
import type { LoadedModel, ModelLoadError } from '../models/registry.ts'

export interface HotModelsDeps {
  plant: PlantConfig
  /** The registry's models: a model served here joins it. */
  models: LoadedModel[]
  /** What models.list and system.health report; edited in place. */
  modelErrors: ModelLoadError[]
  /** The user's models folder, whose entries in modelErrors the watcher's scans replace. */
  userDir: string | undefined
  /** The pipeline's: from each thread's next message on. */
  setModels(models: LoadedModel[], assets: PlantConfig['assets']): void
  /**
   * Told once the pipeline serves `model`, with the assets it serves: whatever took the model
   * list at start (the alarm system, the live clients' model lists) learns of it.
   */
  onServed?(model: LoadedModel, assetIds: string[]): void
}

/**
 * Models that join a running engine: fitted in the app, or a folder dropped into the user's
 * models folder. Either is served from the pipeline threads' next message, without a restart,
 * to every asset whose plant entry names it and to the asset it was fitted on (the card's
 * training.assetId, which the in-app fit writes). A model that matches no asset is loaded,
 * listed and usable by `vigil score`, and scores nothing live until an asset names it.
 */
export function hotModels(d: HotModelsDeps) {
  const isUserFolder = (folder: string) => {
    if (!d.userDir) return false
    // Registry errors name a user folder by its path, a shipped one by its name alone.
    const root = resolve(d.userDir)
    const f = resolve(folder)
    return f === root || f.startsWith(root + sep)
  }
  return {
    /** Serves `model`; `assetId`: the asset it was just fitted on. Returns the assets it now serves. */
    serve(model: LoadedModel, assetId?: string): string[] {
      const id = model.card.id
      if (!d.models.some((m) => m.card.id === id)) d.models.push(model)
      const fittedOn = assetId ?? trainedOn(model)
      const served: string[] = []
      for (const a of d.plant.assets) {
        if (a.id === fittedOn && !a.models.includes(id)) a.models.push(id)
        if (a.models.includes(id)) served.push(a.id)
      }
      // The pipeline said these assets name a model that was not loaded; now it is.
      const stale = served.map((a) => `asset "${a}" names model "${id}", which is not loaded`)
      for (let i = d.modelErrors.length - 1; i >= 0; i--)
        if (stale.includes(d.modelErrors[i]!.message)) d.modelErrors.splice(i, 1)
      d.setModels(d.models, d.plant.assets)
      d.onServed?.(model, served)
      return served
    },
    /** The user folders that do not load now, replacing what was said of them before. */
    userErrors(errors: ModelLoadError[]): void {
      for (let i = d.modelErrors.length - 1; i >= 0; i--)
        if (isUserFolder(d.modelErrors[i]!.folder)) d.modelErrors.splice(i, 1)
      d.modelErrors.push(...errors)
    },
  }
}

/** The asset a model was fitted on, as its card's training record says (the in-app fit writes it). */
function trainedOn(model: LoadedModel): string | undefined {
  const a = model.card.training.assetId
  return typeof a === 'string' ? a : undefined
}
