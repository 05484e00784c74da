import { MessageChannel } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import type { LiveMessage } from '../shared/samples.ts'
import { expose, makeBridge, type IpcRendererLike } from './bridge.ts'

/** Electron's ipcRenderer as seen by the preload: records what is invoked, delivers ports. */
function fakeIpcRenderer(answer: (ch: string, req: unknown) => unknown = () => ({ ok: true, value: null })) {
  const invoked: string[] = []
  let deliver: (e: { ports: MessagePort[] }) => void = () => {}
  const ipc: IpcRendererLike = {
    async invoke(ch, req) {
      invoked.push(ch)
      return answer(ch, req)
    },
    on: (ch, fn) => ch === 'vigil:live-port' && (deliver = fn),
  }
  const sendPort = () => {
    const { port1, port2 } = new MessageChannel()
    deliver({ ports: [port2 as unknown as MessagePort] })
    return port1
  }
  return { ipc, invoked, sendPort }
}

const status = (at: number): LiveMessage => ({
  topic: 'status',
  status: { assetId: 'P-101', kind: 'simulator', state: 'running', at },
})
const next = (bridge: ReturnType<typeof makeBridge>) =>
  new Promise<LiveMessage>((resolve) => {
    const off = bridge.onLive((m) => (off(), resolve(m)))
  })

describe('window.vigil', () => {
  it('is exposed once, as "vigil", with call and onLive and nothing else, frozen', () => {
    const exposed: [string, unknown][] = []
    expose({ exposeInMainWorld: (k, api) => exposed.push([k, api]) }, fakeIpcRenderer().ipc)
    expect(exposed.map(([k]) => k)).toEqual(['vigil'])
    const api = exposed[0]![1] as object
    expect(Object.keys(api).sort()).toEqual(['call', 'onLive'])
    expect(Object.isFrozen(api)).toBe(true)
  })

  it("invokes vigil:<method> for a contract method and returns main's answer", async () => {
    const f = fakeIpcRenderer((ch, req) => ({ ok: true, value: { ch, req } }))
    const r = await makeBridge(f.ipc, () => {}).call('system.health', {})
    expect(r).toEqual({ ok: true, value: { ch: 'vigil:system.health', req: {} } })
  })

  it('refuses any other channel locally, without touching IPC', async () => {
    const f = fakeIpcRenderer()
    const bridge = makeBridge(f.ipc, () => {})
    for (const m of ['live-port', 'shell.openExternal', '__proto__', 'constructor', 'toString', '']) {
      const r = await bridge.call(m, {})
      expect(r.ok, m).toBe(false)
      if (!r.ok) expect(r.error.code).toBe('bad-request')
    }
    expect(await bridge.call(42 as unknown as string, {})).toMatchObject({ ok: false })
    expect(f.invoked).toEqual([])
  })

  it('turns an IPC failure into a Result instead of a rejection', async () => {
    const f = fakeIpcRenderer(() => {
      throw new Error("No handler registered for 'vigil:plant.describe'")
    })
    const r = await makeBridge(f.ipc, () => {}).call('plant.describe', {})
    expect(r).toEqual({
      ok: false,
      error: { code: 'internal', message: "No handler registered for 'vigil:plant.describe'" },
    })
  })

  it('feeds every live listener from the port main sends, and stops one on unsubscribe', async () => {
    const f = fakeIpcRenderer()
    const reports: string[] = []
    const bridge = makeBridge(f.ipc, (msg) => reports.push(msg))
    const seen: number[] = []
    const off = bridge.onLive((m) => m.topic === 'status' && seen.push(m.status.at))
    bridge.onLive(() => {
      throw new Error('a broken view')
    })
    const port = f.sendPort()
    port.postMessage(status(1))
    await next(bridge)
    off()
    port.postMessage(status(2))
    expect(await next(bridge)).toEqual(status(2))
    expect(seen).toEqual([1])
    expect(reports).toEqual(['vigil: a live listener threw', 'vigil: a live listener threw'])
    port.close()
  })

  it('switches to the newest port when main sends another', async () => {
    const f = fakeIpcRenderer()
    const bridge = makeBridge(f.ipc, () => {})
    const first = f.sendPort()
    const second = f.sendPort()
    first.postMessage(status(1))
    second.postMessage(status(2))
    expect(await next(bridge)).toEqual(status(2))
    first.close()
    second.close()
  })
})
