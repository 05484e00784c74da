import type { Result } from './errors.ts'
import type { LiveMessage } from './samples.ts'

/**
 * What the preload exposes to the renderer as window.vigil, nothing more: one call for every
 * contract method (validated by main) and the live stream (over a MessagePort).
 */
export interface VigilBridge {
  call(method: string, req: unknown): Promise<Result<unknown>>
  onLive(cb: (m: LiveMessage) => void): () => void
}
