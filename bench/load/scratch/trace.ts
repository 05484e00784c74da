import { runLoad } from '../run-load.ts'
import { SampleLatency } from '../sample-latency.ts'
const orig = SampleLatency.prototype.received
const trace = new Map<number, number>()
const t0 = performance.now()
SampleLatency.prototype.received = function (this: SampleLatency, id: string, tLast: number, at: number) {
  const before = (this as any).n
  orig.call(this, id, tLast, at)
  const n = (this as any).n
  if (n > before) { const l = (this as any).lat[n - 1]; const k = Math.floor((at - t0) / 250); trace.set(k, Math.max(trace.get(k) ?? 0, l)) }
}
const r = await runLoad({ pumps: Number(process.argv[2] ?? 100), rateHz: Number(process.argv[3] ?? 10), seconds: 10, warmup: 4, maxBatch: process.argv[4] ? Number(process.argv[4]) : undefined })
console.log([...trace.entries()].map(([k, v]) => `${(k / 4).toFixed(2)}:${v.toFixed(0)}`).join(' '))
console.log(JSON.stringify({ lat: r.latencyMs, loop: r.mainLoopDelayP99Ms, cpu: r.cpu.process, threads: r.cpu.threads.slice(0, 4), pipe: r.cpu.pipeline, models: r.models, wire: r.wire, why: r.why, rss: r.rssPeakMB, rps: r.readingsPerS, wps: r.windowsPerS }))
