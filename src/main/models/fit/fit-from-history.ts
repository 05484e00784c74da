import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { VigilError } from '../../../shared/errors.ts'
import type { ModelCard } from '../../../shared/model-card.ts'
import type { FitResult } from '../../../shared/model-channels.ts'
import type { RangeRequest } from '../../store/history-types.ts'
import type { SamplesBlock } from '../../store/range-query.ts'
import { fitInWorker, writeFitted, type FitMethod } from './detector-fit.ts'
import { idFromFolder } from './fitted-model.ts'
import { MIN_ROWS } from './pca-fit.ts'

/** Samples (timestamps) one in-app fit reads: a day at 5 Hz, ~40 MB of columns at 10 tags. */
export const MAX_FIT_ROWS = 500_000

export interface FitFromHistoryRequest {
  assetId: string
  from: number
  to: number
  tags?: string[]
  id?: string
  /** Default 'pca'. */
  method?: FitMethod
  variance?: number
  percentile?: number
}

export interface FitFromHistoryDeps {
  range(req: RangeRequest): Promise<SamplesBlock>
  /** Where fitted models live (registry.ts userModelsDir); undefined: this engine keeps none. */
  userModelsDir: string | undefined
  /** Ids of the models loaded now: a fit never shadows one. */
  takenIds: string[]
  assetClass?: ModelCard['assetClass']
}

const iso = (t: number) => new Date(t).toISOString()

/**
 * Fits a PCA detector (or the autoencoder, method 'ae') on a stretch of an asset's stored history (raw samples, never
 * decimated ones) and writes it as a model folder under the user's models. A value whose
 * quality is not good counts as missing, so the row is left out of the fit: a baseline of
 * normal running should not learn a stuck or out-of-range sensor as normal.
 */
export async function fitFromHistory(
  req: FitFromHistoryRequest,
  deps: FitFromHistoryDeps,
): Promise<FitResult> {
  if (!deps.userModelsDir)
    throw new VigilError(
      'unavailable',
      'models.fit: this engine was started without a folder for fitted models (userModelsDir)',
    )
  const method = req.method ?? 'pca'
  const id = req.id ?? idFromFolder(`${req.assetId}-${method}`)
  if (deps.takenIds.includes(id))
    throw new VigilError(
      'bad-request',
      `models.fit: id "${id}" is taken by a loaded model; choose another id`,
    )
  const dir = join(deps.userModelsDir, id)
  if (existsSync(dir))
    throw new VigilError(
      'bad-request',
      `models.fit: ${dir} already exists (a model fitted before); choose another id or remove that folder`,
    )

  const block = await deps.range({
    assetId: req.assetId,
    ...(req.tags ? { tags: req.tags } : {}),
    from: req.from,
    to: req.to,
    maxPoints: MAX_FIT_ROWS,
  })
  const n = block.t.length
  if (!block.raw)
    throw new VigilError(
      'bad-request',
      `models.fit: ${req.assetId} holds more than ${MAX_FIT_ROWS.toLocaleString('en')} samples from ${iso(req.from)} to ${iso(req.to)}; choose a shorter stretch of normal running`,
    )
  if (n < MIN_ROWS)
    throw new VigilError(
      'bad-request',
      `models.fit: ${req.assetId} holds ${n} samples from ${iso(req.from)} to ${iso(req.to)}; a fit needs at least ${MIN_ROWS}`,
    )

  const notes: string[] = []
  const tags: string[] = []
  const cols: Float64Array[] = []
  block.tags.forEach((tag, k) => {
    const col = block.min[k]!.slice()
    const q = block.quality[k]
    if (q) for (let i = 0; i < n; i++) if (q[i] !== 0) col[i] = NaN
    if (!req.tags && !varies(col)) {
      notes.push(`left out ${tag}: constant or without values over the range`)
      return
    }
    tags.push(tag)
    cols.push(col)
  })
  if (tags.length === 0)
    throw new VigilError('bad-request', `models.fit: no tag of ${req.assetId} varies over the range`)

  const fitted = await fitInWorker(
    cols,
    tags,
    method === 'ae'
      ? { method, opts: { percentile: req.percentile } }
      : { method, opts: { variance: req.variance, percentile: req.percentile } },
  )
  const card = writeFitted(dir, fitted, {
    id,
    assetClass: deps.assetClass,
    data: `${req.assetId} history from ${iso(req.from)} to ${iso(req.to)}`,
    training: { assetId: req.assetId, from: iso(req.from), to: iso(req.to), samples: n, notes },
  })
  return {
    card,
    dir,
    rows: fitted.model.training.rows,
    skippedRows: fitted.model.training.skippedRows,
    active: false,
    message:
      `Written to ${dir}. The running engine does not score with it yet: add "${id}" to the models ` +
      `of ${req.assetId} in the plant configuration and restart Vigil to use it.`,
  }
}

function varies(col: Float64Array): boolean {
  let lo = Infinity
  let hi = -Infinity
  for (let i = 0; i < col.length; i++) {
    const v = col[i]!
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  return hi > lo
}
