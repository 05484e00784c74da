/*
 * Fits a detector off the caller's thread: the in-app fit must not stall the engine's event
 * loop (a wide PCA fit's eigen-decomposition takes a noticeable fraction of a second, an
 * autoencoder's training a few seconds), and the CLI runs the same path so it is tested.
 * Training runs on this one thread: the cores are the engine's.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { toErrorInfo } from '../../../shared/errors.ts'
import { fitAutoencoder, type AeOptions } from './ae-fit.ts'
import { fitPca, type PcaOptions } from './pca-fit.ts'

export type FitTask = { cols: Float64Array[]; tags: string[] } & (
  { method?: 'pca'; opts: PcaOptions } | { method: 'ae'; opts: AeOptions }
)

const task = workerData as FitTask
try {
  const model =
    task.method === 'ae'
      ? fitAutoencoder(task.cols, task.tags, task.opts)
      : fitPca(task.cols, task.tags, task.opts)
  parentPort!.postMessage({ ok: true, model })
} catch (e) {
  parentPort!.postMessage({ ok: false, error: toErrorInfo(e) })
}
