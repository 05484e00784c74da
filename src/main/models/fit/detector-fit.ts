import type { ModelCard } from '../../../shared/model-card.ts'
import { fitAutoencoder, type AeModel, type AeOptions } from './ae-fit.ts'
import { fitAutoencoderInWorker, fitPcaInWorker } from './fit-in-worker.ts'
import { writeFittedAutoencoder } from './fitted-autoencoder.ts'
import { writeFittedModel, type FitInfo } from './fitted-model.ts'
import { fitPca, type PcaModel, type PcaOptions } from './pca-fit.ts'

/*
 * The two detectors a user can fit (`vigil fit --method`, the app's models.fit), behind one
 * choice: fit (in a worker, or here for benchmarks), write the model folder, say what was
 * fitted in a sentence. Everything after the folder is written is the registry's path.
 */

export const FIT_METHODS = ['pca', 'ae'] as const
export type FitMethod = (typeof FIT_METHODS)[number]

export type DetectorFit = { method: 'pca'; opts?: PcaOptions } | { method: 'ae'; opts?: AeOptions }
export type Fitted = { method: 'pca'; model: PcaModel } | { method: 'ae'; model: AeModel }

/** Fits on this thread: for benchmarks and tests, which are not serving anything meanwhile. */
export function fitHere(cols: Float64Array[], tags: string[], fit: DetectorFit): Fitted {
  return fit.method === 'ae'
    ? { method: 'ae', model: fitAutoencoder(cols, tags, fit.opts) }
    : { method: 'pca', model: fitPca(cols, tags, fit.opts) }
}

export async function fitInWorker(cols: Float64Array[], tags: string[], fit: DetectorFit): Promise<Fitted> {
  return fit.method === 'ae'
    ? { method: 'ae', model: await fitAutoencoderInWorker(cols, tags, fit.opts) }
    : { method: 'pca', model: await fitPcaInWorker(cols, tags, fit.opts) }
}

export function writeFitted(dir: string, f: Fitted, info: FitInfo): ModelCard {
  return f.method === 'ae' ? writeFittedAutoencoder(dir, f.model, info) : writeFittedModel(dir, f.model, info)
}

export const rowsOf = (f: Fitted) => ({
  rows: f.model.training.rows,
  skippedRows: f.model.training.skippedRows,
})

/** What was fitted, for the CLI's output: shape, limits and the training alarm rate. */
export function fitSummary(f: Fitted): string {
  const pass = `${(f.model.training.alarmRate * 100).toFixed(2)} % of the training`
  if (f.method === 'pca') {
    const m = f.model
    return (
      `${m.components} components explain ${(m.explained * 100).toFixed(1)} % of the variance; ` +
      `limits T² ${m.t2Limit.toPrecision(4)}, Q ${m.qLimit.toPrecision(4)}; ${pass} rows pass one`
    )
  }
  const m = f.model
  return (
    `autoencoder ${m.net.sizes.join('-')}, stopped at epoch ${m.training.bestEpoch} of ${m.training.epochs}; ` +
    `threshold ${m.threshold.toPrecision(4)} on ${m.window}-row windows; ${pass} windows pass it`
  )
}
