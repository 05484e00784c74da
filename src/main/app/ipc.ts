import type { IpcMain, IpcMainInvokeEvent, MessageChannelMain, WebContents } from 'electron'
import { methods } from '../../shared/contract.ts'
import { fail, toErrorInfo, type Result } from '../../shared/errors.ts'
import type { Engine } from '../engine/engine-api.ts'
import { isOurFrame } from './security.ts'

/*
 * The IPC adapter: the contract's methods as ipcMain handlers and the live stream over a
 * MessagePort. Electron arrives by parameter (types only are imported), so this file loads
 * under plain Node in tests.
 */

export const LIVE_PORT_CHANNEL = 'vigil:live-port'
export const channelOf = (method: string): string => `vigil:${method}`

/** The parts of an invoke event the sender check reads. */
export type SenderEvent = Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>

/**
 * A call is ours only from our window's top frame while it shows the page we loaded: not
 * from an iframe, not from another window, not after a navigation we failed to block.
 */
export function senderIsOurs(e: SenderEvent, contents: WebContents, expectedUrl: string): boolean {
  const f = e.senderFrame
  if (f === null || contents.isDestroyed() || e.sender !== contents) return false
  const top = contents.mainFrame
  return f.frameTreeNodeId === top.frameTreeNodeId && isOurFrame(f.url, expectedUrl)
}

/**
 * Registers one handler per contract method. The engine validates `raw` against the
 * method's schema; a throw anywhere still answers with a Result, because Electron would
 * keep only the message. Returns the unregister.
 */
export function exposeContract(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  engine: Pick<Engine, 'dispatch'>,
  trusted: (e: SenderEvent) => boolean,
): () => void {
  for (const m of methods) {
    ipcMain.handle(channelOf(m), async (e, raw: unknown): Promise<Result<unknown>> => {
      if (!trusted(e))
        return fail('forbidden', `${channelOf(m)}: refused a call from a frame that is not Vigil's page`)
      try {
        // One caller per window, so each window has its own sign-in (alarms/access.ts).
        return await engine.dispatch(m, raw, `window:${e.sender.id}`)
      } catch (err) {
        return { ok: false, error: toErrorInfo(err) }
      }
    })
  }
  return () => {
    for (const m of methods) ipcMain.removeHandler(channelOf(m))
  }
}

/** The window parts streamLive needs (a BrowserWindow has them). */
export interface LiveWindow {
  webContents: Pick<WebContents, 'on' | 'postMessage'>
  once(event: 'closed', listener: () => void): unknown
}

/**
 * Streams the engine's live messages to the window over a fresh MessageChannelMain per page
 * load: the preload keeps port2, structured clone carries the typed arrays as they are. A
 * reload or a crashed renderer drops the old channel and its subscription. Returns the stop.
 */
export function streamLive(
  win: LiveWindow,
  engine: Pick<Engine, 'subscribe'>,
  newChannel: () => MessageChannelMain,
): () => void {
  let close = (): void => {}
  const open = (): void => {
    close()
    const { port1, port2 } = newChannel()
    const unsubscribe = engine.subscribe((m) => port1.postMessage(m))
    win.webContents.postMessage(LIVE_PORT_CHANNEL, null, [port2])
    close = () => {
      close = () => {}
      unsubscribe()
      port1.close()
    }
  }
  win.webContents.on('did-finish-load', open)
  win.webContents.on('render-process-gone', () => close())
  win.once('closed', () => close())
  return () => close()
}
