/*
 * Fits a PCA detector off the caller's thread: the in-app fit must not stall the engine's
 * event loop (a wide fit's correlation matrix and eigen-decomposition take a noticeable
 * fraction of a second), and the CLI runs the same path so it is tested.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { toErrorInfo } from '../../../shared/errors.ts'
import { fitPca, type PcaOptions } from './pca-fit.ts'

export interface FitTask {
  cols: Float64Array[]
  tags: string[]
  opts: PcaOptions
}

const task = workerData as FitTask
try {
  parentPort!.postMessage({ ok: true, model: fitPca(task.cols, task.tags, task.opts) })
} catch (e) {
  parentPort!.postMessage({ ok: false, error: toErrorInfo(e) })
}
