import { EventEmitter } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MessageChannel } from 'node:worker_threads'
import type { IpcMainInvokeEvent, MessageChannelMain, WebContents } from 'electron'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { methods } from '../../shared/contract.ts'
import type { Result } from '../../shared/errors.ts'
import type { SampleBatch } from '../../shared/samples.ts'
import { makeBridge, type IpcRendererLike } from '../../preload/bridge.ts'
import { createEngine, type RunningEngine } from '../engine/engine.ts'
import { channelOf, exposeContract, senderIsOurs, streamLive, type LiveWindow } from './ipc.ts'
import { APP_START_URL } from './security.ts'

/*
 * Main and preload joined by an in-memory stand-in for Electron's IPC (structured clone on
 * every hop, as Electron does), over the real engine on the demo plant.
 */

const dir = mkdtempSync(join(tmpdir(), 'vigil-ipc-'))
let engine: RunningEngine
beforeAll(async () => {
  engine = await createEngine({ dbPath: join(dir, 'ipc.db'), simSpeed: 60 })
})
afterAll(async () => {
  await engine?.stop()
  rmSync(dir, { recursive: true, force: true })
})

type Frame = { url: string; frameTreeNodeId: number }
type Handler = (e: IpcMainInvokeEvent, ...args: unknown[]) => unknown

/** One window's webContents, its ipcRenderer, and ipcMain, wired together. */
function electronPair(url = APP_START_URL) {
  const top: Frame = { url, frameTreeNodeId: 1 }
  const handlers = new Map<string, Handler>()
  const ipcMain = {
    handle(ch: string, fn: Handler) {
      if (handlers.has(ch)) throw new Error(`Attempted to register a second handler for '${ch}'`)
      handlers.set(ch, fn)
    },
    removeHandler: (ch: string) => void handlers.delete(ch),
  }
  const rendererListeners = new Map<string, (e: { ports: MessagePort[] }) => void>()
  const emitter = new EventEmitter()
  const contents = Object.assign(emitter, {
    mainFrame: top,
    isDestroyed: () => false,
    postMessage: (ch: string, _msg: unknown, ports: unknown[]) =>
      rendererListeners.get(ch)?.({ ports: ports as MessagePort[] }),
  }) as unknown as WebContents
  let invokes = 0
  let senderFrame: Frame | null = top
  const ipcRenderer: IpcRendererLike = {
    async invoke(ch, ...args) {
      invokes++
      const fn = handlers.get(ch)
      if (!fn) throw new Error(`Error invoking remote method '${ch}': No handler registered`)
      const event = { sender: contents, senderFrame } as unknown as IpcMainInvokeEvent
      return structuredClone(await fn(event, ...args.map((a) => structuredClone(a))))
    },
    on: (ch, fn) => rendererListeners.set(ch, fn),
  }
  const win = Object.assign(new EventEmitter(), { webContents: contents }) as unknown as LiveWindow &
    EventEmitter
  return {
    top,
    handlers,
    ipcMain,
    contents,
    ipcRenderer,
    win,
    invokes: () => invokes,
    sendFrom: (f: Frame | null) => (senderFrame = f),
  }
}

const stops: (() => void)[] = []
afterEach(() => stops.splice(0).forEach((s) => s()))

function connect(url = APP_START_URL) {
  const p = electronPair(url)
  stops.push(exposeContract(p.ipcMain, engine, (e) => senderIsOurs(e, p.contents, APP_START_URL)))
  const bridge = makeBridge(p.ipcRenderer, () => {})
  return { ...p, bridge }
}

describe('contract calls over IPC', () => {
  it('registers exactly one vigil: handler per contract method, and removes them on stop', () => {
    const p = electronPair()
    const stop = exposeContract(p.ipcMain, engine, () => true)
    expect([...p.handlers.keys()].sort()).toEqual(methods.map(channelOf).sort())
    stop()
    expect(p.handlers.size).toBe(0)
  })

  it("answers our page's call with the engine's result", async () => {
    const { bridge } = connect()
    const r = await bridge.call('plant.describe', {})
    expect(r.ok && (r.value as { name: string; assets: { id: string }[] })).toMatchObject({
      name: 'Demo plant',
      assets: expect.arrayContaining([expect.objectContaining({ id: 'P-101' })]),
    })
  })

  it('returns a bad request that names the field when main rejects the request', async () => {
    const { bridge } = connect()
    const r = await bridge.call('live.snapshot', { assetId: 'P-101', seconds: -5 })
    expect(r.ok).toBe(false)
    if (!r.ok)
      expect(r.error).toMatchObject({ code: 'bad-request', message: expect.stringContaining('seconds') })
  })

  it('passes an engine error through with its code', async () => {
    const { bridge } = connect()
    const r = await bridge.call('live.snapshot', { assetId: 'NO-SUCH-PUMP', seconds: 60 })
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: expect.stringContaining('NO-SUCH-PUMP') },
    })
  })

  it('refuses calls from an iframe, from another page, and from a frame that is gone', async () => {
    const p = connect()
    const refusedFrom = async (f: Frame | null) => {
      p.sendFrom(f)
      const r: Result<unknown> = await p.bridge.call('plant.describe', {})
      return !r.ok && r.error.code === 'forbidden'
    }
    expect(await refusedFrom({ url: APP_START_URL, frameTreeNodeId: 2 })).toBe(true)
    expect(await refusedFrom({ ...p.top, url: 'https://example.com/' })).toBe(true)
    expect(await refusedFrom(null)).toBe(true)
    expect(await refusedFrom(p.top)).toBe(false)
  })

  it('refuses a call whose sender is another window', () => {
    const ours = electronPair()
    const other = electronPair()
    const e = { sender: other.contents, senderFrame: other.top } as unknown as IpcMainInvokeEvent
    expect(senderIsOurs(e, ours.contents, APP_START_URL)).toBe(false)
  })
})

describe('the live stream', () => {
  const nodeChannel = () => new MessageChannel() as unknown as MessageChannelMain

  it("reaches the page's listeners with typed arrays intact, after each page load", async () => {
    const p = connect()
    stops.push(streamLive(p.win, engine, nodeChannel))
    p.contents.emit('did-finish-load')
    const batch = await new Promise<SampleBatch>((resolve) => {
      const off = p.bridge.onLive(
        (m) => m.topic === 'samples' && m.batch.assetId === 'P-101' && (off(), resolve(m.batch)),
      )
    })
    expect(batch.assetId).toBe('P-101')
    expect(batch.t).toBeInstanceOf(Float64Array)
    expect(batch.values).toHaveLength(10)
    expect(batch.values[0]).toBeInstanceOf(Float64Array)
    expect(batch.values[0]!.length).toBe(batch.t.length)
  })

  it('keeps one subscription across reloads and drops it on a crash or when the window closes', () => {
    const p = connect()
    const before = engine.hub.subscribers
    streamLive(p.win, engine, nodeChannel)
    p.contents.emit('did-finish-load')
    p.contents.emit('did-finish-load')
    expect(engine.hub.subscribers - before).toBe(1)
    p.contents.emit('render-process-gone')
    expect(engine.hub.subscribers - before).toBe(0)
    p.contents.emit('did-finish-load')
    p.win.emit('closed')
    expect(engine.hub.subscribers - before).toBe(0)
  })
})
