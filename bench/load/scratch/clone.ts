import { MessageChannel } from 'node:worker_threads'
const { port1, port2 } = new MessageChannel()
const mk = (rows: number) => ({ assetId: 'P-001', t: new Float64Array(rows), values: Array.from({ length: 10 }, () => new Float64Array(rows)), quality: Array.from({ length: 10 }, () => new Uint8Array(rows)) })
let got = 0
port2.on('message', () => { got++ })
for (const [batches, rows] of [[50, 5], [1, 250], [1000, 1]] as const) {
  const task = { batches: Array.from({ length: batches }, () => mk(rows)) }
  const N = 200
  const t = performance.now()
  for (let i = 0; i < N; i++) port1.postMessage(task)
  const ms = (performance.now() - t) / N
  console.log(`${batches} batches x ${rows} rows: ${ms.toFixed(3)} ms per post (sender side), ${(ms * 1000 / (batches * rows)).toFixed(2)} us/row`)
}
// packed
const packed = { rows: 250, data: new Float64Array(250 * 11), q: new Uint8Array(2500) }
const t = performance.now(); for (let i = 0; i < 200; i++) port1.postMessage(packed); console.log('packed 250 rows', ((performance.now() - t) / 200).toFixed(3), 'ms')
await new Promise(r => setTimeout(r, 500)); port1.close()
