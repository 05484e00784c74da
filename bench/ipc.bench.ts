/*
 * ipc: how samples cross threads and processes. A batch of 10,000 samples (1,000 readings of
 * a pump's 10 tags: one value and one quality flag each, one time per reading) goes to a
 * worker thread, which touches every value, as
 *   - columns: the SampleBatch as the engine sends it (Float64Array per tag, Uint8Array of
 *     quality per tag), structured clone without transfer, as Electron's IPC copies anyway;
 *   - wire: the same batch as src/shared/wire.ts frames it for the WebSocket (encode, one
 *     ArrayBuffer across, decode), the path `vigil serve` and its renderer take;
 *   - objects (baseline): an array of { t, tag, value, quality } objects, structured clone.
 * Rates are samples per second of this process's CPU time (both threads), which a shared
 * machine disturbs far less than wall time. Bytes per sample are the wire frame's, beside
 * the same samples as JSON objects.
 */
import { Worker } from 'node:worker_threads'
import type { SampleBatch } from '../src/shared/samples.ts'
import { encode } from '../src/shared/wire.ts'
import { figure, interleaved, rng, type Bench } from './harness.ts'

const TAGS = 10
const TAG_IDS = Array.from({ length: TAGS }, (_, k) => `Tag_${k}`)

const receiver = `
const { parentPort } = require('node:worker_threads')
let decode = null
let sum = 0, n = 0
parentPort.on('message', async (m) => {
  if (m.wireUrl) { decode = (await import(m.wireUrl)).decode; parentPort.postMessage('ready'); return }
  if (m === 'done') { parentPort.postMessage(n); n = 0; return }
  const b = m instanceof ArrayBuffer ? decode(m).batch : m.batch
  if (Array.isArray(b)) { for (const o of b) sum += o.value; n += b.length; return }
  for (const col of b.values) { for (let i = 0; i < col.length; i++) sum += col[i]; n += col.length }
})
`

const cpuMs = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

function makeBatch(rows: number, rand: () => number): SampleBatch & { quality: Uint8Array[] } {
  const t = Float64Array.from({ length: rows }, (_, i) => Date.UTC(2025, 0, 1) + i * 100)
  const values = TAG_IDS.map((_, k) => Float64Array.from({ length: rows }, () => 100 * k + rand()))
  const quality = TAG_IDS.map(() => new Uint8Array(rows))
  return { assetId: 'P-101', t, values, quality }
}

function asObjects(b: SampleBatch & { quality: Uint8Array[] }) {
  const out: { t: number; tag: string; value: number; quality: number }[] = []
  for (let i = 0; i < b.t.length; i++)
    for (let k = 0; k < TAGS; k++)
      out.push({ t: b.t[i]!, tag: TAG_IDS[k]!, value: b.values[k]![i]!, quality: b.quality[k]![i]! })
  return out
}

const bench: Bench = {
  name: 'ipc',
  quick: true,
  async run({ quick, seed, log }) {
    const rows = 1000
    const samples = rows * TAGS
    const messages = quick ? 40 : 200
    const batch = makeBatch(rows, rng(seed))
    const objects = asObjects(batch)
    const worker = new Worker(receiver, { eval: true })
    const wireUrl = new URL('../src/shared/wire.ts', import.meta.url).href
    await new Promise((r) => {
      worker.once('message', r)
      worker.postMessage({ wireUrl })
    })
    const finish = () =>
      new Promise<number>((r) => {
        worker.once('message', r)
        worker.postMessage('done')
      })
    /** Samples per CPU second for `messages` sends of one batch, received and read. */
    const side = (send: () => void) => async () => {
      const c0 = cpuMs()
      for (let i = 0; i < messages; i++) send()
      const got = await finish()
      if (got !== messages * samples)
        throw new Error(`ipc: receiver read ${got} samples, expected ${messages * samples}`)
      return (got / (cpuMs() - c0)) * 1000
    }
    const sides = {
      columns: side(() => worker.postMessage({ batch })),
      wire: side(() => {
        const frame = encode({ topic: 'samples', batch })
        worker.postMessage(frame, [frame])
      }),
      objects: side(() => worker.postMessage({ batch: objects })),
    }
    for (const s of Object.values(sides)) await s()
    const r = await interleaved(sides, quick ? 3 : 5)
    await worker.terminate()
    const frameBytes = encode({ topic: 'samples', batch }).byteLength
    const jsonBytes = Buffer.byteLength(JSON.stringify(objects))
    log(
      `samples/CPU-s: columns ${r.columns.toFixed(0)}, wire ${r.wire.toFixed(0)}, objects ${r.objects.toFixed(0)}; ` +
        `wire frame ${frameBytes} B for ${samples} samples, JSON objects ${jsonBytes} B`,
    )
    return [
      figure({
        name: 'ipc.columns_vs_objects',
        value: r.columns,
        unit: 'samples/CPU-s',
        baseline: 'array of {t, tag, value, quality} objects, structured clone, 10k-sample batches',
        baseline_value: r.objects,
        target: 'ratio >= 20',
        check: (f) => f.ratio >= 20,
      }),
      figure({
        name: 'ipc.wire_vs_objects',
        value: r.wire,
        unit: 'samples/CPU-s',
        baseline: 'array of {t, tag, value, quality} objects, structured clone, 10k-sample batches',
        baseline_value: r.objects,
        target: 'ratio >= 20',
        check: (f) => f.ratio >= 20,
      }),
      figure({
        name: 'ipc.wire_bytes_per_sample',
        value: frameBytes / samples,
        unit: 'B/sample',
        baseline: 'the same samples as JSON {t, tag, value, quality} objects',
        baseline_value: jsonBytes / samples,
        limit: 20,
        target: 'value <= 20',
        check: (f) => f.value <= 20,
      }),
    ]
  },
}

export default bench
