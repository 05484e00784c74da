import { describe, expect, it } from 'vitest'
import { makeBridge, type IpcRendererLike } from '../../preload/bridge.ts'
import type { LiveMessage } from '../../shared/samples.ts'
import { CallError, type Connection } from './client.ts'
import { errorText } from './error-text.ts'
import { createIpcClient, findBridge } from './ipc-client.ts'

/** Electron's ipcRenderer reduced to what the real preload bridge uses, answering from a table. */
function fakeIpc(answers: Record<string, unknown>) {
  let portListener: ((e: { ports: readonly MessagePort[] }) => void) | undefined
  const ipc: IpcRendererLike = {
    invoke: async (channel) => answers[channel],
    on: (_channel, listener) => (portListener = listener),
  }
  return { ipc, sendPort: (p: MessagePort) => portListener?.({ ports: [p] }) }
}

describe('ipc client over the preload bridge', () => {
  it('resolves ok Results and turns failed ones into CallErrors with banner text', async () => {
    const { ipc } = fakeIpc({
      'vigil:plant.describe': { ok: true, value: { name: 'Demo', assets: [] } },
      'vigil:sim.inject': { ok: false, error: { code: 'bad-request', message: 'P-101 has no simulator' } },
    })
    const client = createIpcClient(makeBridge(ipc, () => {}))
    expect(await client.call('plant.describe', {})).toEqual({ name: 'Demo', assets: [] })
    const err = await client
      .call('sim.inject', { assetId: 'P-101', fault: 'cavitation' })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(CallError)
    expect(errorText(err)).toBe('The engine refused the request: P-101 has no simulator')
  })

  it('reports the connection open at once and passes live messages from the port', async () => {
    const { ipc, sendPort } = fakeIpc({})
    const client = createIpcClient(makeBridge(ipc, () => {}))
    const states: Connection[] = []
    client.onConnection((c) => states.push(c))
    expect(states).toEqual([{ state: 'open' }])
    const got: LiveMessage[] = []
    const off = client.onLive((m) => got.push(m))
    const channel = new MessageChannel()
    sendPort(channel.port1)
    channel.port2.postMessage({ topic: 'faults', assetId: 'P-101', active: [] })
    for (let i = 0; i < 100 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 5))
    expect(got).toEqual([{ topic: 'faults', assetId: 'P-101', active: [] }])
    off()
    channel.port1.close()
  })

  it('finds window.vigil only when it has the bridge shape', () => {
    expect(findBridge({})).toBeUndefined()
    expect(findBridge({ vigil: { call: 1 } })).toBeUndefined()
    const bridge = makeBridge(fakeIpc({}).ipc, () => {})
    expect(findBridge({ vigil: bridge })).toBe(bridge)
  })
})
