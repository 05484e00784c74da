import { existsSync, mkdirSync, readdirSync, statSync, watch, type FSWatcher } from 'node:fs'
import { join, resolve, sep } from 'node:path'
import { loadModel, modelFolders, type LoadedModel, type ModelLoadError } from './registry.ts'

/*
 * Model folders dropped by hand into the user's models folder while the engine runs. A
 * folder is copied file by file, so what the watcher sees first is usually incomplete (no
 * model.json yet, no model.onnx, or an .onnx whose hash is not yet the card's): that is
 * reported as the folder's reason, like a bad folder, and the folder is read again after its
 * next change, until it loads. Every check is the registry's own (loadModel). Folders are
 * read once when watching starts, and again a quiet moment after each change (debounced: a
 * copy is a burst of events) or when asked (models.reload).
 *
 * A folder already served is not read again unless its files changed: each scan compares the
 * name, size and mtime of its files with what they were when it was last read (a stat per
 * file, no polling). A changed folder that loads replaces the served model; one that does not
 * (half-copied, a hash that is not the card's) leaves the old one serving, its reason reported
 * until it loads. A served folder that is gone stops being served and is reported as removed.
 * Shipped models live elsewhere: only folders inside `dir` are ever replaced or removed.
 */

export interface ModelScan {
  /** Ids of the models this scan loaded. */
  loaded: string[]
  /** Ids of served models whose changed folder this scan loaded in their place. */
  replaced: string[]
  /** Ids of served models whose folder is gone. */
  removed: string[]
  /** Every folder of the user's models that does not load now, with why (absolute paths). */
  errors: ModelLoadError[]
}

export interface UserModelsWatchOptions {
  dir: string
  /** The models loaded now (shipped and user): a folder already served is read again only once changed. */
  loaded(): readonly LoadedModel[]
  /** A folder that now loads: serve it. */
  onLoaded(model: LoadedModel): void
  /** A served folder whose files changed and that loads again: serve `next` in place of `prev`. */
  onReplaced(prev: LoadedModel, next: LoadedModel): void
  /** A served folder that is gone: stop serving it. */
  onRemoved(model: LoadedModel): void
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
  /** Per served folder, its files as they were when last read (stampOf): a change reads it again. */
  const stamps = new Map<string, string>()
  /** Served folders that were deleted: said with every scan until a folder is back there. */
  const gone = new Map<string, ModelLoadError>()
  const inDir = (folder: string) => resolve(folder).startsWith(dir + sep)

  function rescan(): ModelScan {
    const loaded: string[] = []
    const replaced: string[] = []
    const removed: string[] = []
    // Checked by the folder itself, not by the listing: a folder that cannot be listed is not gone.
    for (const m of o.loaded()) {
      const folder = resolve(m.dir)
      if (!inDir(folder) || existsSync(folder)) continue
      o.onRemoved(m)
      stamps.delete(folder)
      removed.push(m.card.id)
      gone.set(folder, {
        folder,
        message: `${folder}: removed while the engine ran; model "${m.card.id}" is no longer served`,
      })
    }
    const errors: ModelLoadError[] = unwatched ? [unwatched] : []
    const { folders, error } = modelFolders(dir)
    if (error) errors.push(error)
    for (const name of folders) {
      const folder = join(dir, name)
      gone.delete(folder)
      const models = o.loaded()
      const served = models.find((m) => resolve(m.dir) === folder)
      // Taken before reading: files that change while being read differ at the next scan.
      const stamp = stampOf(folder)
      if (served) {
        const was = stamps.get(folder)
        // First seen served (at start, or fitted in the app): as it is now is what was read.
        if (was === undefined) stamps.set(folder, stamp)
        if (was === undefined || was === stamp) continue
      }
      try {
        const model = loadModel(folder)
        const twin = models.find((m) => m.card.id === model.card.id && m !== served)
        if (twin)
          throw new Error(
            `${join(folder, 'model.json')}: id "${model.card.id}" is already taken by ${twin.dir}; give the model another id`,
          )
        if (served) {
          o.onReplaced(served, model)
          replaced.push(model.card.id)
        } else {
          o.onLoaded(model)
          loaded.push(model.card.id)
        }
        stamps.set(folder, stamp)
      } catch (e) {
        // A served folder keeps its old stamp: read again at every scan until it loads.
        errors.push({ folder, message: e instanceof Error ? e.message : String(e) })
      }
    }
    errors.push(...gone.values())
    o.onErrors(errors)
    return { loaded, replaced, removed, errors }
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

/** A folder's files by name, size and mtime: what changes when a model is copied over it. */
function stampOf(folder: string): string {
  try {
    return readdirSync(folder, { withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => {
        const st = statSync(join(folder, d.name))
        return `${d.name}:${st.size}:${st.mtimeMs}`
      })
      .sort()
      .join('|')
  } catch (e) {
    // Unreadable now (being replaced): differs from any stamp read, so it is read again.
    return `unreadable: ${(e as Error).message}`
  }
}
