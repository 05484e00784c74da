/*
 * One load run, in a process of its own so its memory and threads are its own:
 *   node bench/load/run-load.ts --pumps 100 --hz 10 --seconds 20 [--max-batch 1] [--warmup 5]
 * prints one JSON line (LoadResult); --history N first stores N readings per pump. The whole engine runs (simulators, validation, rolling
 * features, the pump autoencoder on every new window, alarms, the SQLite store, the hub)
 * behind `vigil serve`'s WebSocket server, and a `ws` client decodes every live message as
 * the renderer would. See load.bench.ts for the figures made from it.
 */
import Database from 'better-sqlite3'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { execFileSync, fork } from 'node:child_process'
import type { Health } from '../../src/shared/contract.ts'
import { createEngine } from '../../src/main/engine/engine.ts'
import { modelsDir } from '../../src/main/paths.ts'
import { startHeadlessServer } from '../../src/main/server/headless-server.ts'
import { peakRss } from '../harness.ts'
import { cpuShares, threadCpu } from './cpu.ts'
import { loadPlant } from './plant.ts'
import { SampleLatency } from './sample-latency.ts'
import type { ClientReport } from './ws-client.ts'

export interface LoadRun {
  pumps: number
  rateHz: number
  seconds: number
  warmup: number
  /** 1: the unbatched baseline (one sample per message, one window per model call). */
  maxBatch?: number
  seed?: number
  queueBound?: number
  /** Readings per pump stored before the run (history.ts): 10,000 x 100 pumps = 10 M values. */
  historyRows?: number
  /** The server's gathering of live messages into one frame, ms (headless-server.ts); 0: a frame per message. */
  liveFrameMs?: number
}

export interface LoadResult {
  run: LoadRun
  /** Readings (10 values each) handed over by the sources per second, inside the measured span. */
  readingsPerS: number
  /** Readings the client decoded per second, and windows the model scored per second. */
  clientReadingsPerS: number
  windowsPerS: number
  latencyMs: { p50: number; p95: number; p99: number; max: number }
  /** Samples (timestamps) waiting in the pipeline: most and mean; the store's most waiting values. */
  queue: { max: number; mean: number; storeBacklogMax: number }
  /** Peak resident memory of the process over its life (start-up included), and the most seen inside the measured span. */
  rssPeakMB: number
  rssSpanMaxMB: number
  /** Least-squares slope of resident memory over the measured span, MB per minute (a soak's trend). */
  rssSlopeMBPerMin: number
  /** Resident memory at the end of each whole minute of the measured span, MB (a soak's curve). */
  rssByMinuteMB: number[]
  /**
   * What that memory is, at the same minutes, MB: the main thread's V8 heap in use, memory held
   * outside V8 heaps by the main thread (typed arrays, buffers), and the process's anonymous and
   * file-backed resident pages. Says where a soak's growth sits.
   */
  memByMinuteMB: { heap: number; external: number; anon: number; file: number }[]
  /** Share of one core: the whole process, each busy OS thread, each pipeline thread. */
  cpu: { process: number; threads: { thread: string; share: number }[]; pipeline: number[] }
  /**
   * CPU time inside model calls per second of wall time (share of one core; wallShare counts
   * wall time inside them, which a busy machine inflates), calls, windows per call, CPU per window.
   */
  models: { share: number; wallShare: number; calls: number; windowsPerCall: number; usPerWindow: number }
  /** Frames and bytes the client received per second; bytes per reading on the wire (samples and scores). */
  wire: { framesPerS: number; bytesPerReading: number }
  mainLoopDelayP99Ms: number
  /** Every loss the engine counts; all zero in a sustained run. */
  lost: { notDelivered: number; notStored: number; notScored: number; shedStages: number; dropped: number }
  sustained: boolean
  why: string[]
  /** Every change of the engine's load stage inside the span: minute into it and the engine's words. */
  stages: { minute: number; message: string }[]
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** The main thread's heap and outside-heap memory, and the process's anonymous and file-backed resident pages, MB. */
function memoryParts(): LoadResult['memByMinuteMB'][number] {
  const m = process.memoryUsage()
  const kB = (field: string) => {
    const hit = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(smaps())
    return hit ? Number(hit[1]) / 1024 : NaN
  }
  const anon = kB('Anonymous')
  return { heap: m.heapUsed / 2 ** 20, external: m.external / 2 ** 20, anon, file: kB('Rss') - anon }
}

function smaps(): string {
  try {
    return readFileSync('/proc/self/smaps_rollup', 'utf8')
  } catch {
    return ''
  }
}

/** Least-squares slope of y over x. */
function slope(xy: [number, number][]): number {
  const n = xy.length
  if (n < 2) return NaN
  const mx = xy.reduce((a, [x]) => a + x, 0) / n
  const my = xy.reduce((a, [, y]) => a + y, 0) / n
  let sxy = 0
  let sxx = 0
  for (const [x, y] of xy) {
    sxy += (x - mx) * (y - my)
    sxx += (x - mx) ** 2
  }
  return sxy / sxx
}

export async function runLoad(r: LoadRun): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-load-'))
  const ui = join(dir, 'ui')
  mkdirSync(ui)
  writeFileSync(join(ui, 'index.html'), '<!doctype html><title>Vigil</title>')
  const plant = loadPlant({ pumps: r.pumps, rateHz: r.rateHz, seed: r.seed })
  if (r.historyRows) {
    const script = new URL('./history.ts', import.meta.url).pathname
    const args = ['--db', join(dir, 'load.db'), '--pumps', String(r.pumps), '--hz', String(r.rateHz)]
    execFileSync(process.execPath, [
      script,
      ...args,
      '--rows',
      String(r.historyRows),
      '--seed',
      String(r.seed ?? 1),
    ])
  }
  const lat = new SampleLatency()
  let counting = false
  let allRows = 0
  const engine = await createEngine({
    config: plant,
    dbPath: join(dir, 'load.db'),
    dbPathGiven: true,
    modelsDir: modelsDir(),
    maxBatch: r.maxBatch,
    load: r.queueBound ? { queueBound: r.queueBound } : undefined,
    onSourceBatch: (b) => {
      allRows += b.t.length
      lat.emitted(b.assetId, b.t[b.t.length - 1]!, b.t.length, performance.now(), counting)
    },
  })
  const stages: { minute: number; message: string }[] = []
  let spanStart = NaN
  engine.subscribe((m) => {
    if (m.topic === 'status' && m.status.assetId === 'system' && m.status.kind === 'load' && counting)
      stages.push({ minute: (performance.now() - spanStart) / 60_000, message: m.status.message ?? '' })
  })
  const token = 'load-bench-token-0123456789'
  const server = await startHeadlessServer({
    engine,
    rendererDir: ui,
    token,
    port: 0,
    liveFrameMs: r.liveFrameMs,
  })
  const client = fork(new URL('./ws-client.ts', import.meta.url), [
    `ws://127.0.0.1:${server.port}/ws?token=${token}`,
  ])
  const wire = { frames: 0, bytes: 0, windows: 0 }
  await new Promise<void>((res, rej) => {
    type FromClient =
      { type: 'open' } | { type: 'error'; message: string } | { type: 'report'; report: ClientReport }
    client.on('message', (m: FromClient) => {
      if (m.type === 'open') res()
      else if (m.type === 'error') rej(new Error(`load client: ${m.message}`))
      else {
        const c = m.report
        // The client's times are epoch-based (timeOrigin + now): back to this thread's clock.
        for (let i = 0; i < c.assetIds.length; i++)
          lat.received(c.assetIds[i]!, c.tLast[i]!, c.at[i]! - performance.timeOrigin)
        if (counting) {
          wire.frames += c.frames
          wire.bytes += c.bytes
          wire.windows += c.windows
        }
      }
    })
    client.once('error', rej)
  })
  const health = async () => {
    const h = await engine.dispatch('system.health', {})
    if (!h.ok) throw new Error(h.error.message)
    return h.value as Health
  }

  await wait(r.warmup * 1000)
  const loop = monitorEventLoopDelay({ resolution: 10 })
  const h0 = await health()
  const cpu0 = process.cpuUsage()
  const th0 = threadCpu()
  const t0 = performance.now()
  spanStart = t0
  counting = true
  loop.enable()
  const depths: number[] = []
  let storeBacklogMax = 0
  const shares: number[][] = []
  let rssSpan = 0
  const rssAt: [number, number][] = []
  const rssByMinuteMB: number[] = []
  const memByMinuteMB: LoadResult['memByMinuteMB'] = []
  while (performance.now() - t0 < r.seconds * 1000) {
    await wait(250)
    // The engine's load status is cheap; health() also counts the database, so it runs less often.
    const l = engine.load()
    depths.push(l.queue.samples)
    const rss = process.memoryUsage.rss()
    rssSpan = Math.max(rssSpan, rss)
    const minutes = (performance.now() - t0) / 60_000
    rssAt.push([minutes, rss / 2 ** 20])
    if (minutes >= rssByMinuteMB.length + 1) {
      rssByMinuteMB.push(rss / 2 ** 20)
      memByMinuteMB.push(memoryParts())
    }
    shares.push(l.threads)
    if (depths.length % 8 === 0)
      storeBacklogMax = Math.max(storeBacklogMax, (await health()).store?.backlog ?? 0)
  }
  counting = false
  const ms = performance.now() - t0
  loop.disable()
  const cpu1 = process.cpuUsage(cpu0)
  const th1 = threadCpu()
  const h1 = await health()
  // Let the client catch up with what was emitted inside the span, up to a few seconds.
  const deadline = performance.now() + 5000
  while (lat.deliveredRows < lat.emittedRows && performance.now() < deadline) await wait(50)
  const caughtUpMs = performance.now() - t0 - ms
  client.send({ type: 'close' })
  await new Promise((r) => client.once('exit', r))
  await server.close()
  const h2 = await health()
  // Stopping drains every batch in flight into the store before closing it: then count what it holds.
  await engine.stop()
  const db = new Database(join(dir, 'load.db'), { readonly: true })
  const count = (sql: string) => (db.prepare(sql).raw().get() as [number])[0]
  const stored = count('SELECT coalesce(sum(n), 0) FROM time_blocks')
  const predictions = count('SELECT count(*) FROM prediction_logs')
  db.close()
  rmSync(dir, { recursive: true, force: true })

  const s = ms / 1000
  const windows = h1.windowsScored - h0.windowsScored
  const modelMs = (h1.load?.models.ms ?? 0) - (h0.load?.models.ms ?? 0)
  const modelCpuMs = (h1.load?.models.cpuMs ?? 0) - (h0.load?.models.cpuMs ?? 0)
  const calls = (h1.load?.models.calls ?? 0) - (h0.load?.models.calls ?? 0)
  const shards = shares[0]?.length ?? 0
  const pipelineShares = Array.from({ length: shards }, (_, i) => {
    const xs = shares.map((e) => e[i]!).filter((x) => x === x)
    return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)
  })
  const load = h2.load
  const lost = {
    notDelivered: lat.emittedRows - lat.deliveredRows,
    notStored: allRows + r.pumps * (r.historyRows ?? 0) - stored,
    // Every reading after a pump's first 29 completes a window, and each window is logged.
    notScored: allRows - r.pumps * 29 - predictions,
    shedStages: (load?.entered ?? []).slice(1).reduce((a, b) => a + b, 0),
    dropped: h2.dropped + h2.batchesLost + (h2.store?.dropped ?? 0) + server.skipped(),
  }
  const latencyMs = lat.percentiles()
  const why: string[] = []
  for (const [k, v] of Object.entries(lost)) if (v > 0) why.push(`${k} ${v}`)
  if (caughtUpMs > 2000) why.push(`client ${caughtUpMs.toFixed(0)} ms behind at the end`)
  return {
    run: r,
    readingsPerS: lat.emittedRows / s,
    clientReadingsPerS: lat.deliveredRows / s,
    windowsPerS: windows / s,
    latencyMs,
    queue: {
      max: Math.max(0, ...depths),
      mean: depths.reduce((a, b) => a + b, 0) / Math.max(1, depths.length),
      storeBacklogMax,
    },
    rssPeakMB: peakRss() / 2 ** 20,
    rssSpanMaxMB: rssSpan / 2 ** 20,
    rssSlopeMBPerMin: slope(rssAt),
    rssByMinuteMB,
    memByMinuteMB,
    cpu: {
      process: (cpu1.user + cpu1.system) / 1000 / ms,
      threads: cpuShares(th0, th1, ms).slice(0, 8),
      pipeline: pipelineShares,
    },
    models: {
      share: modelCpuMs / ms,
      wallShare: modelMs / ms,
      calls,
      windowsPerCall: calls ? windows / calls : 0,
      usPerWindow: windows ? (modelCpuMs * 1000) / windows : 0,
    },
    wire: {
      framesPerS: wire.frames / s,
      bytesPerReading: lat.emittedRows ? wire.bytes / lat.emittedRows : 0,
    },
    mainLoopDelayP99Ms: loop.percentile(99) / 1e6,
    lost,
    sustained: why.length === 0,
    why,
    stages,
  }
}

if (import.meta.filename === process.argv[1]) {
  const { values: a } = parseArgs({
    options: {
      pumps: { type: 'string', default: '100' },
      hz: { type: 'string', default: '10' },
      seconds: { type: 'string', default: '20' },
      warmup: { type: 'string', default: '5' },
      'max-batch': { type: 'string' },
      seed: { type: 'string', default: '1' },
      'queue-bound': { type: 'string' },
      history: { type: 'string' },
      'live-frame-ms': { type: 'string' },
    },
  })
  const result = await runLoad({
    pumps: Number(a.pumps),
    rateHz: Number(a.hz),
    seconds: Number(a.seconds),
    warmup: Number(a.warmup),
    maxBatch: a['max-batch'] ? Number(a['max-batch']) : undefined,
    seed: Number(a.seed),
    queueBound: a['queue-bound'] ? Number(a['queue-bound']) : undefined,
    historyRows: a.history ? Number(a.history) : undefined,
    liveFrameMs: a['live-frame-ms'] ? Number(a['live-frame-ms']) : undefined,
  })
  process.stdout.write(`${JSON.stringify(result)}\n`)
}
