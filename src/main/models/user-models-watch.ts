import { mkdirSync, watch, type FSWatcher } from 'node:fs'
import { join, resolve } from 'node:path'
import { loadModel, modelFolders, type LoadedModel, type ModelLoadError } from './registry.ts'

/*
 * Model folders dropped by hand into the user's models folder while the engine runs. A
 * folder is copied file by file, so what the watcher sees first is usually incomplete (no
 * model.json yet, no model.onnx, or an .onnx whose hash is not yet the card's): that is
 * reported as the folder's reason, like a bad folder, and the folder is read again after its
 * next change, until it loads. Every check is the registry's own (loadModel). Folders are
 * read once when watching starts, and again a quiet moment after each change (debounced: a
 * copy is a burst of events) or when asked (models.reload).
 */

export interface ModelScan {
  /** Ids of the models this scan loaded. */
  loaded: string[]
  /** Every folder of the user's models that does not load now, with why (absolute paths). */
  errors: ModelLoadError[]
}

export interface UserModelsWatchOptions {
  dir: string
  /** The models loaded now (shipped and user): a folder already served is not read again. */
  loaded(): readonly LoadedModel[]
  /** A folder that now loads: serve it. */
  onLoaded(model: LoadedModel): void
  /** After every scan: the folders that do not load now (replaces the previous list). */
  onErrors(errors: ModelLoadError[]): void
  /** Quiet time after the last change before the folder is read, ms. Default 300. */
  debounceMs?: number
}

export interface UserModelsWatch {
  /** Reads the folder now (also what models.reload does). */
  rescan(): ModelScan
  close(): void
}

export function watchUserModels(o: UserModelsWatchOptions): UserModelsWatch {
  const dir = resolve(o.dir)
  let timer: ReturnType<typeof setTimeout> | null = null
  let watcher: FSWatcher | null = null
  /** Why the folder is not watched, when it is not: reported with every scan. */
  let unwatched: ModelLoadError | null = null

  function rescan(): ModelScan {
    const loaded: string[] = []
    const errors: ModelLoadError[] = unwatched ? [unwatched] : []
    const { folders, error } = modelFolders(dir)
    if (error) errors.push(error)
    for (const name of folders) {
      const folder = join(dir, name)
      const models = o.loaded()
      if (models.some((m) => resolve(m.dir) === folder)) continue
      try {
        const model = loadModel(folder)
        const twin = models.find((m) => m.card.id === model.card.id)
        if (twin)
          throw new Error(
            `${join(folder, 'model.json')}: id "${model.card.id}" is already taken by ${twin.dir}; give the model another id`,
          )
        o.onLoaded(model)
        loaded.push(model.card.id)
      } catch (e) {
        errors.push({ folder, message: e instanceof Error ? e.message : String(e) })
      }
    }
    o.onErrors(errors)
    return { loaded, errors }
  }

  const later = () => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => {
      timer = null
      rescan()
    }, o.debounceMs ?? 300)
  }

  const stopWatching = (e: unknown) => {
    watcher?.close()
    watcher = null
    unwatched = {
      folder: dir,
      message: `${dir}: not watched for new models (${(e as Error).message}); models.reload reads it`,
    }
  }
  try {
    // The folder a fit would create anyway: made now, so a model can be dropped into it.
    mkdirSync(dir, { recursive: true })
    // Recursive: a file written inside a model folder is the change that completes it.
    watcher = watch(dir, { recursive: true, persistent: false }, later)
    watcher.on('error', stopWatching)
  } catch (e) {
    stopWatching(e)
  }
  // From here on this scan's list is the user folders' errors (the start's are read again).
  rescan()

  return {
    rescan,
    close() {
      if (timer) clearTimeout(timer)
      timer = null
      watcher?.close()
      watcher = null
    },
  }
}
