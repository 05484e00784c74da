import type { VigilBridge } from '../shared/bridge.ts'
import { isMethod } from '../shared/contract.ts'
import { fail, toErrorInfo, type Result } from '../shared/errors.ts'
import type { LiveMessage } from '../shared/samples.ts'

/*
 * window.vigil, built from Electron's ipcRenderer passed in, so a test under Node can build
 * it from a fake. The channel names match src/main/app/ipc.ts.
 */

/** The ipcRenderer methods the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>
  on(
    channel: string,
    listener: (event: { ports: readonly MessagePort[] }, ...args: unknown[]) => void,
  ): unknown
}

export interface ContextBridgeLike {
  exposeInMainWorld(key: string, api: unknown): void
}

const LIVE_PORT_CHANNEL = 'vigil:live-port'

/**
 * call() forwards only the contract's method names, so a compromised page cannot reach any
 * other ipcMain handler through the bridge. onLive() callbacks are fed from the MessagePort
 * main sends on each page load; the port itself stays here, because contextIsolation cannot
 * hand it to the page.
 */
export function makeBridge(ipc: IpcRendererLike, report: (msg: string, e: unknown) => void): VigilBridge {
  const listeners = new Set<(m: LiveMessage) => void>()
  let port: MessagePort | null = null

  ipc.on(LIVE_PORT_CHANNEL, (event) => {
    const next = event.ports[0]
    if (!next) return
    port?.close()
    port = next
    port.onmessage = (e: MessageEvent<LiveMessage>) => {
      for (const cb of listeners) {
        try {
          cb(e.data)
        } catch (err) {
          report('vigil: a live listener threw', err)
        }
      }
    }
  })

  const call = async (method: string, req: unknown): Promise<Result<unknown>> => {
    if (typeof method !== 'string' || !isMethod(method)) {
      return fail('bad-request', `window.vigil.call: "${String(method)}" is not a method of the contract`)
    }
    try {
      return (await ipc.invoke(`vigil:${method}`, req)) as Result<unknown>
    } catch (err) {
      return { ok: false, error: toErrorInfo(err) }
    }
  }

  const onLive = (cb: (m: LiveMessage) => void): (() => void) => {
    if (typeof cb !== 'function') throw new TypeError('window.vigil.onLive needs a function')
    // A Set would merge two subscriptions of one function; a wrapper keeps each unsubscribe its own.
    const own = (m: LiveMessage): void => cb(m)
    listeners.add(own)
    return () => void listeners.delete(own)
  }

  return Object.freeze({ call, onLive })
}

/** Exposes the bridge as window.vigil: the preload's only export to the page. */
export function expose(contextBridge: ContextBridgeLike, ipc: IpcRendererLike): void {
  contextBridge.exposeInMainWorld(
    'vigil',
    makeBridge(ipc, (msg, e) => console.error(msg, e)),
  )
}
