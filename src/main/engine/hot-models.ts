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
  /** Told once the pipeline no longer serves `model` (its folder is gone), with the assets that still name it. */
  onRemoved?(model: LoadedModel, assetIds: string[]): void
}

/**
 * Models that join a running engine: fitted in the app, or a folder dropped into the user's
 * models folder. Either is served from the pipeline threads' next message, without a restart,
 * to every asset whose plant entry names it and to the asset it was fitted on (the card's
 * training.assetId, which the in-app fit writes). A model that matches no asset is loaded,
 * listed and usable by `vigil score`, and scores nothing live until an asset names it.
 *
 * A served model is replaced in place when its folder is re-written (same registry slot, same
 * assets), and withdrawn when its folder is deleted: the assets it joined by being served here
 * lose it, those whose plant entry names it are reported as naming a model that is not loaded.
 */
export function hotModels(d: HotModelsDeps) {
  /** Per model id, the assets that serve it because it was served here (not by their plant entry). */
  const joined = new Map<string, Set<string>>()
  const isUserFolder = (folder: string) => {
    if (!d.userDir) return false
    // Registry errors name a user folder by its path, a shipped one by its name alone.
    const root = resolve(d.userDir)
    const f = resolve(folder)
    return f === root || f.startsWith(root + sep)
  }
  const api = {
    /** Serves `model`; `assetId`: the asset it was just fitted on. Returns the assets it now serves. */
    serve(model: LoadedModel, assetId?: string): string[] {
      const id = model.card.id
      if (!d.models.some((m) => m.card.id === id)) d.models.push(model)
      const fittedOn = assetId ?? trainedOn(model)
      const served: string[] = []
      for (const a of d.plant.assets) {
        if (a.id === fittedOn && !a.models.includes(id)) {
          a.models.push(id)
          joined.set(id, (joined.get(id) ?? new Set()).add(a.id))
        }
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
    /**
     * Serves `next`, read again from `prev`'s folder, in its place, from the threads' next
     * message; the assets that served `prev` keep it. Returns the assets it now serves.
     */
    replace(prev: LoadedModel, next: LoadedModel): string[] {
      // Another id in the same folder is another model: the old one is withdrawn.
      if (prev.card.id !== next.card.id) {
        api.remove(prev)
        return api.serve(next)
      }
      const i = d.models.indexOf(prev)
      if (i >= 0) d.models[i] = next
      return api.serve(next)
    },
    /** Stops serving `model` (its folder is gone). Returns the assets whose plant entry still names it. */
    remove(model: LoadedModel): string[] {
      const i = d.models.indexOf(model)
      if (i < 0) return []
      d.models.splice(i, 1)
      const id = model.card.id
      const mine = joined.get(id)
      joined.delete(id)
      const named: string[] = []
      for (const a of d.plant.assets) {
        if (mine?.has(a.id)) a.models.splice(a.models.indexOf(id), 1)
        else if (a.models.includes(id)) named.push(a.id)
      }
      // Said at once, in the pipeline's own words, as for a model missing at start.
      for (const a of named) {
        const message = `asset "${a}" names model "${id}", which is not loaded`
        if (!d.modelErrors.some((e) => e.message === message)) d.modelErrors.push({ folder: a, message })
      }
      d.setModels(d.models, d.plant.assets)
      d.onRemoved?.(model, named)
      return named
    },
    /** The user folders that do not load now, replacing what was said of them before. */
    userErrors(errors: ModelLoadError[]): void {
      for (let i = d.modelErrors.length - 1; i >= 0; i--)
        if (isUserFolder(d.modelErrors[i]!.folder)) d.modelErrors.splice(i, 1)
      d.modelErrors.push(...errors)
    },
  }
  return api
}

/** The asset a model was fitted on, as its card's training record says (the in-app fit writes it). */
function trainedOn(model: LoadedModel): string | undefined {
  const a = model.card.training.assetId
  return typeof a === 'string' ? a : undefined
}
