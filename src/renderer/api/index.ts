import type { VigilClient } from './client.ts'
import { createIpcClient, findBridge } from './ipc-client.ts'
import { createWsClient, pageWsUrl } from './ws-client.ts'

export { CallError, type Connection, type ConnectionState, type VigilClient } from './client.ts'
export { errorText } from './error-text.ts'

/** Electron's preload bridge when present, else the WebSocket of `vigil serve`. */
export function connectClient(w: Window): VigilClient {
  const bridge = findBridge(w)
  return bridge ? createIpcClient(bridge) : createWsClient({ url: pageWsUrl(w.location) })
}
