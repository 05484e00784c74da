import { Worker } from 'node:worker_threads'
import { VigilError, type ErrorInfo } from '../../../shared/errors.ts'
import { workerUrl } from '../../worker-url.ts'
import type { FitTask } from './fit.worker.ts'
import type { PcaModel, PcaOptions } from './pca-fit.ts'

type Reply = { ok: true; model: PcaModel } | { ok: false; error: ErrorInfo }

/** fitPca in a one-shot worker thread; cols are the training rows only (copied once, then moved). */
export function fitPcaInWorker(
  cols: Float64Array[],
  tags: string[],
  opts: PcaOptions = {},
): Promise<PcaModel> {
  // Own buffers: columns may be views of one larger buffer, which cannot be moved twice.
  const own = cols.map((c) => c.slice())
  const task: FitTask = { cols: own, tags, opts }
  const worker = new Worker(workerUrl('models/fit/fit.worker.ts', 'fit.worker'), {
    workerData: task,
    transferList: own.map((c) => c.buffer),
  })
  return new Promise<PcaModel>((resolve, reject) => {
    let settled = false
    worker.once('message', (r: Reply) => {
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
