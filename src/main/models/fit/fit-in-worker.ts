import { Worker } from 'node:worker_threads'
import { VigilError, type ErrorInfo } from '../../../shared/errors.ts'
import { workerUrl } from '../../worker-url.ts'
import type { AeModel, AeOptions } from './ae-fit.ts'
import type { FitTask } from './fit.worker.ts'
import type { PcaModel, PcaOptions } from './pca-fit.ts'

type Reply<M> = { ok: true; model: M } | { ok: false; error: ErrorInfo }

/** fitPca in a one-shot worker thread; cols are the training rows only (copied once, then moved). */
export function fitPcaInWorker(
  cols: Float64Array[],
  tags: string[],
  opts: PcaOptions = {},
): Promise<PcaModel> {
  return fitInWorker<PcaModel>(cols, (own) => ({ method: 'pca', cols: own, tags, opts }))
}

/** fitAutoencoder in a one-shot worker thread, as fitPcaInWorker. */
export function fitAutoencoderInWorker(
  cols: Float64Array[],
  tags: string[],
  opts: AeOptions = {},
): Promise<AeModel> {
  return fitInWorker<AeModel>(cols, (own) => ({ method: 'ae', cols: own, tags, opts }))
}

function fitInWorker<M>(cols: Float64Array[], task: (own: Float64Array[]) => FitTask): Promise<M> {
  // Own buffers: columns may be views of one larger buffer, which cannot be moved twice.
  const own = cols.map((c) => c.slice())
  const worker = new Worker(workerUrl('models/fit/fit.worker.ts', 'fit.worker'), {
    workerData: task(own),
    transferList: own.map((c) => c.buffer),
  })
  return new Promise<M>((resolve, reject) => {
    let settled = false
    worker.once('message', (r: Reply<M>) => {
      settled = true
      if (r.ok) resolve(r.model)
      else reject(new VigilError(r.error.code, r.error.message))
    })
    worker.once('error', (e) => {
      settled = true
      reject(new VigilError('internal', `fit worker failed: ${e.message}`))
    })
    worker.once('exit', (code) => {
      if (!settled)
        reject(new VigilError('internal', `fit worker stopped (exit code ${code}) before answering`))
    })
  })
}
