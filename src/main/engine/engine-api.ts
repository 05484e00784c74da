import type { Result } from '../../shared/errors.ts'
import type { LiveMessage } from '../../shared/samples.ts'

/**
 * What a shell (Electron IPC adapter, headless WebSocket server, tests) sees of the engine.
 * dispatch validates `raw` against the contract's schema for `method` before anything runs,
 * so every transport gets the same boundary check.
 */
export interface Engine {
  /**
   * `caller` names the connection the call came on (one per Electron window or WebSocket), so
   * the engine knows who is signed in on it; calls without one act as the local user.
   */
  dispatch(method: string, raw: unknown, caller?: string): Promise<Result<unknown>>
  subscribe(listener: (m: LiveMessage) => void): () => void
  stop(): Promise<void>
}
