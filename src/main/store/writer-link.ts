import type { Transferable, Worker } from 'node:worker_threads'
import type { StoreStatus } from '../../shared/contract.ts'
import { VigilError } from '../../shared/errors.ts'
import type { RetentionResult } from './retention.ts'
import type { FromWriter, ToWriter } from './writer-protocol.ts'

type Request = Extract<ToWriter, { id: number }>
type Without<T> = T extends unknown ? Omit<T, 'id'> : never
type Waiter = { resolve: (v: RetentionResult | undefined) => void; reject: (e: Error) => void }

/**
 * The main thread's side of the writer thread: posts in order, answers requests, keeps the
 * writer's last status, and turns the thread's death into an error every later call reports
 * instead of waiting forever.
 */
export class WriterLink {
  readonly ready: Promise<number>
  private readonly worker: Worker
  private readonly path: string
  private readonly waiting = new Map<number, Waiter>()
  private nextId = 1
  private failure: VigilError | null = null
  private started = false
  private stopping = false
  private rejectReady: (e: Error) => void = () => {}
  private last: StoreStatus = { state: 'ok', since: Date.now(), backlog: 0, dropped: 0 }

  constructor(worker: Worker, path: string) {
    this.worker = worker
    this.path = path
    this.ready = new Promise<number>((resolve, reject) => {
      this.rejectReady = reject
      worker.on('message', (m: FromWriter) => {
        if (m.type === 'ready') {
          this.started = true
          resolve(m.version)
          return
        }
        if (m.type === 'status') {
          this.last = m.status
          return
        }
        const w = this.waiting.get(m.id)
        this.waiting.delete(m.id)
        if (m.error !== undefined) w?.reject(new VigilError('unavailable', m.error))
        else w?.resolve(m.value)
      })
    })
    worker.on('error', (e) => this.fail(e instanceof Error ? e.message : String(e)))
    worker.on('exit', (code) => {
      // The writer ends itself with code 0 only after closing the file.
      if (this.stopping && code === 0) for (const w of this.waiting.values()) w.resolve(undefined)
      else if (!this.stopping || this.waiting.size > 0) this.fail(`the writer thread exited (code ${code})`)
      this.waiting.clear()
    })
  }

  /** The writer's state: unavailable (with the reason) while it cannot commit. */
  status(): StoreStatus {
    if (this.failure) return { ...this.last, state: 'unavailable', message: this.failure.message }
    return this.last
  }

  /** Throws the writer's failure, if it had one. */
  check(): void {
    if (this.failure) throw this.failure
    if (this.stopping) throw new VigilError('unavailable', `history store ${this.path} is closed`)
  }

  post(m: ToWriter, transfer: Transferable[] = []): void {
    this.check()
    this.worker.postMessage(m, transfer)
  }

  /** Resolves when the writer has handled everything posted before this, and this. */
  request(m: Without<Request>): Promise<RetentionResult | undefined> {
    this.check()
    const id = this.nextId++
    if (m.type === 'close') this.stopping = true
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject })
      this.worker.postMessage({ ...m, id })
    })
  }

  /** Ends the thread whatever state it is in. */
  async stop(): Promise<void> {
    this.stopping = true
    await this.worker.terminate()
  }

  private fail(why: string): void {
    if (this.failure) return
    this.failure = this.started
      ? new VigilError('unavailable', `history store ${this.path}: the writer stopped: ${why}`)
      : new VigilError('unavailable', `history store ${this.path} could not be opened: ${why}`)
    this.rejectReady(this.failure)
    for (const w of this.waiting.values()) w.reject(this.failure)
    this.waiting.clear()
  }
}
