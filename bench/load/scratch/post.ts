import { Worker } from 'node:worker_threads'
const w = new Worker('require("worker_threads").parentPort.on("message", () => {})', { eval: true })
const mk = (rows: number) => ({ assetId: 'P-001', t: new Float64Array(rows), values: Array.from({ length: 10 }, () => new Float64Array(rows)), quality: Array.from({ length: 10 }, () => new Uint8Array(rows)) })
const N = 2000
let t = performance.now()
for (let i = 0; i < N; i++) { const b = mk(5); w.postMessage({ type: 'samples', batch: b }, [b.t.buffer, ...b.values.map(v => v.buffer), ...b.quality.map(q => q.buffer)]) }
console.log('transfer per post', ((performance.now() - t) / N * 1000).toFixed(1), 'us')
t = performance.now()
for (let i = 0; i < N; i++) { const b = mk(5); w.postMessage({ type: 'samples', batch: b }) }
console.log('clone per post', ((performance.now() - t) / N * 1000).toFixed(1), 'us')
t = performance.now()
const list: any[] = []
for (let i = 0; i < N; i++) { list.push({ type: 'samples', batch: mk(5) }); if (list.length === 50) { w.postMessage({ type: 'many', list }); list.length = 0 } }
console.log('clone in 50s per batch', ((performance.now() - t) / N * 1000).toFixed(1), 'us')
await w.terminate()
