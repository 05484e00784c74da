import type { Method, Req, Res } from '../../shared/contract.ts'
import type { LiveMessage } from '../../shared/samples.ts'
import { CallError, type VigilClient } from './client.ts'
import { createIpcClient, findBridge } from './ipc-client.ts'
import { createWsClient, pageWsUrl } from './ws-client.ts'

export { CallError, type Connection, type ConnectionState, type VigilClient } from './client.ts'
export { errorText } from './error-text.ts'

/** Electron's preload bridge when present, else the WebSocket of `vigil serve`. */
export function connectClient(w: Window): VigilClient {
  const bridge = findBridge(w)
  return bridge ? createIpcClient(bridge) : createWsClient({ url: pageWsUrl(w.location) })
}

let installed: VigilClient | null = null

/** main.tsx installs the page's one client; views reach the engine through `call`. */
export function installClient(c: VigilClient): void {
  installed = c
}

/** The installed client's live stream (alarms use it beside the live store); returns the unsubscribe. */
export function onLive(cb: (m: LiveMessage) => void): () => void {
  return installed ? installed.onLive(cb) : () => {}
}

export function call<M extends Method>(method: M, req: Req<M>): Promise<Res<M>> {
  if (!installed)
    return Promise.reject(new CallError(method, { code: 'unavailable', message: 'no client installed' }))
  return installed.call(method, req)
}
