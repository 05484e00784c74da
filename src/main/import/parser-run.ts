import type { Worker } from 'node:worker_threads'
import { VigilError } from '../../shared/errors.ts'
import type { FromImportWorker, ImportWorkerInit, ToImportWorker } from './import-protocol.ts'
import { giveBackParserThread, takeParserThread } from './parser-thread.ts'

type Done = Extract<FromImportWorker, { type: 'done' }>
type Progress = Extract<FromImportWorker, { type: 'progress' }>

/**
 * One parsing thread working for a job: taken as the job starts (so a thread that has to
 * start loads while the file is detected), sent one range to parse, and handed back for the
 * next import when that ended cleanly. Anything else (a cancel, an error, a thread that died)
 * ends the thread: it may be in any state.
 */
export class ParserRun {
  private worker: Worker | null
  /** What became of the thread before parse() listened to it. */
  private error: Error | null = null
  private exited = false
  /** Set by the job before it terminates the thread, so its exit reads as a cancel. */
  cancelled = false
  private readonly onEarlyError = (e: Error) => (this.error ??= e)
  private readonly onEarlyExit = () => (this.exited = true)

  constructor() {
    this.worker = takeParserThread()
    this.worker.on('error', this.onEarlyError)
    this.worker.on('exit', this.onEarlyExit)
  }

  /** Parses `init`'s range; resolves with its result once every batch is staged. */
  parse(init: ImportWorkerInit, onProgress: (m: Progress) => void): Promise<Done> {
    const worker = this.worker
    if (!worker) return Promise.reject(new VigilError('bad-request', 'the parsing thread was already used'))
    if (this.error) return Promise.reject(this.error)
    if (this.exited)
      return Promise.reject(
        new VigilError(
          'bad-request',
          this.cancelled ? 'cancelled' : 'the parsing thread ended before it started',
        ),
      )
    const begin: ToImportWorker = { type: 'start', init }
    worker.postMessage(begin, [init.stage])
    let clean = false
    let onMessage: (m: FromImportWorker) => void = () => {}
    let onError: (e: Error) => void = () => {}
    let onExit: () => void = () => {}
    return new Promise<Done>((resolve, reject) => {
      onMessage = (m) => {
        if (m.type === 'progress') onProgress(m)
        else if (m.type === 'done') {
          // The thread reports done only once the writer has acked every batch: all are staged.
          clean = true
          resolve(m)
        } else reject(new VigilError('bad-request', m.message))
      }
      onError = reject
      onExit = () =>
        reject(
          new VigilError(
            'bad-request',
            this.cancelled ? 'cancelled' : 'the parsing thread ended unexpectedly',
          ),
        )
      worker.on('message', onMessage)
      worker.on('error', onError)
      worker.on('exit', onExit)
    }).finally(() => {
      worker.off('message', onMessage)
      worker.off('error', onError)
      worker.off('exit', onExit)
      this.release(clean && !this.cancelled)
    })
  }

  /** Ends the thread now (a cancel, or a range no longer needed). */
  async terminate(): Promise<void> {
    this.cancelled = true
    await this.worker?.terminate()
  }

  /** Done with the thread: kept for the next import when it is known to be idle, else ended. */
  release(reusable: boolean): void {
    const worker = this.worker
    if (!worker) return
    this.worker = null
    worker.off('error', this.onEarlyError)
    worker.off('exit', this.onEarlyExit)
    if (reusable && !this.cancelled && !this.error && !this.exited) giveBackParserThread(worker)
    else void worker.terminate()
  }
}
