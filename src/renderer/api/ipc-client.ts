import type { VigilBridge } from '../../shared/bridge.ts'
import type { Method, Req, Res } from '../../shared/contract.ts'
import { CallError, type Connection, type VigilClient } from './client.ts'

/**
 * The desktop window: the preload's window.vigil carries calls over Electron IPC and the live
 * stream over a MessagePort. Both live as long as the window, so the connection is always open.
 */
export function createIpcClient(bridge: VigilBridge): VigilClient {
  const open: Connection = { state: 'open' }
  return {
    async call<M extends Method>(method: M, req: Req<M>): Promise<Res<M>> {
      const r = await bridge.call(method, req)
      if (!r.ok) throw new CallError(method, r.error)
      return r.value as Res<M>
    },
    onLive: (cb) => bridge.onLive(cb),
    onConnection(cb) {
      cb(open)
      return () => {}
    },
    close() {},
  }
}

/** The bridge when the preload provided one (Electron), else undefined (a browser on `vigil serve`). */
export function findBridge(w: object): VigilBridge | undefined {
  const b = (w as { vigil?: VigilBridge }).vigil
  return b && typeof b.call === 'function' && typeof b.onLive === 'function' ? b : undefined
}
