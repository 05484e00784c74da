/*
 * The renderer's stand-in: a `ws` client in a process of its own, as a real renderer is, so
 * its decoding and memory are not counted as the engine's. Started by run-load.ts with
 * fork(url). It decodes every live frame with the renderer's decoder and reports, every
 * 50 ms, the last sample time of each asset it decoded and when: epoch ms from
 * performance.timeOrigin + now(), which processes on one machine agree on to well under 1 ms.
 */
import WebSocket from 'ws'
import type { LiveMessage } from '../../src/shared/samples.ts'
import { decode, liveMessages } from '../../src/shared/wire.ts'

export interface ClientReport {
  assetIds: string[]
  tLast: number[]
  at: number[]
  windows: number
  frames: number
  bytes: number
}

const url = process.argv[2]!
const send = (m: unknown) => process.send!(m)
const ws = new WebSocket(url)
ws.binaryType = 'nodebuffer'
let report: ClientReport = { assetIds: [], tLast: [], at: [], windows: 0, frames: 0, bytes: 0 }

ws.on('open', () => send({ type: 'open' }))
ws.on('error', (e) => send({ type: 'error', message: e.message }))
ws.on('message', (data: Buffer) => {
  const at = performance.timeOrigin + performance.now()
  report.frames++
  report.bytes += data.byteLength
  // One frame holds one live message or, gathered per animation frame, many assets' messages.
  for (const m of liveMessages(decode(data)) as LiveMessage[])
    if (m.topic === 'samples') {
      report.assetIds.push(m.batch.assetId)
      report.tLast.push(m.batch.t[m.batch.t.length - 1]!)
      report.at.push(at)
    } else if (m.topic === 'scores') report.windows += m.batch.t.length
})

const timer = setInterval(() => {
  if (report.frames === 0) return
  send({ type: 'report', report })
  report = { assetIds: [], tLast: [], at: [], windows: 0, frames: 0, bytes: 0 }
}, 50)

process.on('message', (m: { type: 'close' }) => {
  if (m.type !== 'close') return
  clearInterval(timer)
  if (report.frames) send({ type: 'report', report })
  ws.close()
  process.disconnect()
})
