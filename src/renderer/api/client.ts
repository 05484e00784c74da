import type { Method, Req, Res } from '../../shared/contract.ts'
import type { ErrorCode, ErrorInfo } from '../../shared/errors.ts'
import type { LiveMessage } from '../../shared/samples.ts'

/** 'connecting' covers the first attempt and every retry; 'closed' is waiting out a backoff. */
export type ConnectionState = 'connecting' | 'open' | 'closed'

export interface Connection {
  state: ConnectionState
  /** When closed: epoch ms of the next attempt, so the banner can count down. */
  retryAt?: number
  /** Why the last connection ended, for the banner. */
  reason?: string
}

/** The renderer's one view of the engine, whatever carries it (Electron IPC or WebSocket). */
export interface VigilClient {
  /** Resolves with the value of an ok Result; rejects with a CallError for a failed one. */
  call<M extends Method>(method: M, req: Req<M>): Promise<Res<M>>
  onLive(cb: (m: LiveMessage) => void): () => void
  /** Calls back now with the current connection and on every change. */
  onConnection(cb: (c: Connection) => void): () => void
  close(): void
}

/** A failed call, keeping the engine's code so the banner can say what a person can do. */
export class CallError extends Error {
  readonly code: ErrorCode
  readonly method: string
  constructor(method: string, info: ErrorInfo) {
    super(info.message)
    this.name = 'CallError'
    this.code = info.code
    this.method = method
  }
}

/** Small listener set: every subscribe returns its unsubscribe. */
export class Listeners<T> {
  private readonly set = new Set<(v: T) => void>()
  add(cb: (v: T) => void): () => void {
    this.set.add(cb)
    return () => this.set.delete(cb)
  }
  emit(v: T): void {
    for (const cb of this.set) {
      try {
        cb(v)
      } catch (e) {
        // One broken view must not stop the live stream reaching the others.
        console.error(e)
      }
    }
  }
  get size(): number {
    return this.set.size
  }
}
