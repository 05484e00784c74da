/*
 * score: windows of the pump autoencoder (models/pump-ae, 30 x 10) scored per CPU second by
 *   - path: the pipeline's scoring path as a pipeline thread runs it for one message: 100
 *     pumps' batches of 10 readings each, window assembly per asset, every asset's windows in
 *     shared model calls of <= MAX_WINDOWS_PER_CALL (shared-calls.ts), MinMax scaling,
 *     reconstruction error, contributions, sensor states;
 *   - bare onnxruntime-node session.run on ready Float32 tensors, batch 1 and batch 32: the
 *     floor for one window per call, and for batched calls with nothing around them.
 * One thread, intra-op threads 1 for all, as the pipeline runs them. CPU time, interleaved.
 * The path also runs at other caps (16, 64, 128) in the same rounds: the log line is how the
 * cap was chosen (throughput against the longest call a thread sits in).
 * Then live running, one new window per pump (100 windows a message), alternating path and
 * bare: the p99 of each model call on the path against bare calls of the same sizes (the
 * issue's "p99 per batch"), and the p99 of the whole 100-window message against one bare
 * 100-window call, so a reader sees both. With 100-300 samples p99 is near the slowest.
 */
import * as ort from 'onnxruntime-node'
import { join } from 'node:path'
import { loadPlantConfig } from '../src/main/engine/plant-config.ts'
import { openAutoencoder } from '../src/main/models/autoencoder.ts'
import { loadModels } from '../src/main/models/registry.ts'
import { demoPlantPath, modelsDir } from '../src/main/paths.ts'
import { AssetScoring } from '../src/main/pipeline/asset-scoring.ts'
import {
  MAX_WINDOWS_PER_CALL,
  SharedCalls,
  type CallStats,
  type ScoreItem,
} from '../src/main/pipeline/shared-calls.ts'
import { generatePump } from '../src/main/sources/simulator/index.ts'
import { figure, interleaved, median, type Bench } from './harness.ts'

/** The q-quantile of xs (nearest rank). */
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!
}

const cpuMs = () => {
  const u = process.threadCpuUsage()
  return (u.user + u.system) / 1000
}

const bench: Bench = {
  name: 'score',
  quick: true,
  async run({ quick, seed, log }) {
    const model = loadModels(modelsDir()).models.find((m) => m.card.id === 'pump-ae')
    if (!model) throw new Error(`${modelsDir()}: no pump-ae model`)
    const pump = loadPlantConfig(demoPlantPath()).assets.find((a) => a.id === 'P-101')!
    const ae = await openAutoencoder(model, { intraOpThreads: 1 })
    const pumps = 100
    const rows = 10
    const rounds = quick ? 20 : 60
    // Live running: each of the 100 pumps brings one new window: 100 windows a message.
    const LIVE_BATCHES = quick ? 100 : 300
    const CAPS = [...new Set([16, MAX_WINDOWS_PER_CALL, 64, 128])].sort((a, b) => a - b)
    // Each pump's readings, long enough for every round's batch after a window's warm-up.
    const data = Array.from({ length: pumps }, (_, i) =>
      generatePump({
        seed: seed * 1000 + i,
        startMs: Date.UTC(2025, 0, 1),
        n: 30 + rows * CAPS.length * (rounds + 4) + LIVE_BATCHES + 8,
      }),
    )
    const assets = data.map((_, i) => ({ ...pump, id: `P-${i}` }))
    let scorers = assets.map((a) => new AssetScoring(ae, a))
    let at = 0
    /** Per cap: the shared calls, and the wall ms of each model call they made. */
    const perCap = new Map(
      CAPS.map((cap) => {
        const ms: number[] = []
        return [cap, { ms, shared: new SharedCalls({ onCall: (_n, t) => ms.push(t) }) }] as const
      }),
    )
    const stats: CallStats = { modelMs: 0, modelCpuMs: 0, calls: 0, windows: 0, skipped: 0 }
    const quality = Array.from({ length: 10 }, () => new Uint8Array(rows))
    const nextMessage = (n = rows): ScoreItem[] => {
      const items = scorers.map((scorer, i) => {
        const b = data[i]!
        const slice = (c: Float64Array) => c.subarray(at, at + n)
        return { scorer, t: slice(b.t), values: b.values.map(slice), quality }
      })
      at += n
      return items
    }
    // Fill every asset's window first, so each message completes `rows` windows per asset.
    const warm = data.map((b) => ({ t: b.t.subarray(0, 30), values: b.values.map((c) => c.subarray(0, 30)) }))
    scorers.forEach((s, i) => s.assemble(warm[i]!.t, warm[i]!.values, quality, new Float64Array(30 * 300)))
    at = 30

    const session = await ort.InferenceSession.create(join(modelsDir(), 'pump-ae', 'model.onnx'), {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    })
    const name = session.inputNames[0]!
    const x128 = new Float32Array(128 * 300).map((_, i) => (i % 97) / 97)
    const bareRun = (n: number) =>
      session.run({ [name]: new ort.Tensor('float32', x128.subarray(0, n * 300), [n, 30, 10]) })
    /** Wall ms of each message: the path's, and bare 32-window calls over as many windows. */
    const wall = { path: [] as number[], bare32: [] as number[] }
    const bare = (batch: number) => async () => {
      const windows = pumps * rows
      const calls = Math.ceil(windows / batch)
      const c0 = cpuMs()
      const w0 = performance.now()
      for (let c = 0; c < calls; c++) await bareRun(batch)
      if (batch === 32) wall.bare32.push(performance.now() - w0)
      return ((calls * batch) / (cpuMs() - c0)) * 1000
    }
    // A message's batches are built before the clock starts: a pipeline thread receives them built.
    const path = (cap: number) => async () => {
      const message = nextMessage()
      const c0 = cpuMs()
      const w0 = performance.now()
      const out = await perCap.get(cap)!.shared.run(message, cap, stats)
      if (cap === MAX_WINDOWS_PER_CALL) wall.path.push(performance.now() - w0)
      const windows = out.reduce((n, s) => n + (s?.t.length ?? 0), 0)
      if (windows !== pumps * rows) throw new Error(`score: ${windows} windows, expected ${pumps * rows}`)
      return (windows / (cpuMs() - c0)) * 1000
    }
    const sides: Record<string, () => Promise<number>> = { bare1: bare(1), bare32: bare(32) }
    for (const cap of CAPS) sides[`path${cap}`] = path(cap)
    for (const s of Object.values(sides)) await s()
    wall.path.length = wall.bare32.length = 0
    for (const { ms } of perCap.values()) ms.length = 0
    const r = await interleaved(sides, rounds)
    const pathRate = r[`path${MAX_WINDOWS_PER_CALL}`]!
    log(
      `score: windows/CPU-s by cap on windows per call (1000-window messages): ` +
        CAPS.map(
          (cap) =>
            `${cap}: ${r[`path${cap}`]!.toFixed(0)} (call p99 ${quantile(perCap.get(cap)!.ms, 0.99).toFixed(2)} ms)`,
        ).join(', ') +
        `; bare batch-1 ${r.bare1!.toFixed(0)}, bare batch-32 ${r.bare32!.toFixed(0)}; the pipeline uses ${MAX_WINDOWS_PER_CALL}`,
    )
    const p99 = { path: quantile(wall.path, 0.99), bare32: quantile(wall.bare32, 0.99) }
    log(
      `score: per message of ${pumps * rows} windows (${pumps} pumps), wall ms p50 ${median(wall.path).toFixed(2)} ` +
        `p99 ${p99.path.toFixed(2)}; bare 32-window calls p50 ${median(wall.bare32).toFixed(2)} p99 ${p99.bare32.toFixed(2)} ` +
        `(${wall.path.length} rounds)`,
    )
    // Live running (one window per pump): each model call on the path against a bare call of
    // the same size, and the whole message against one bare 100-window call, alternating so
    // both see the same machine.
    const calls = { path: [] as number[], bare: [] as number[], sizes: [] as number[] }
    const liveShared = new SharedCalls({
      onCall: (n, ms) => {
        calls.path.push(ms)
        calls.sizes.push(n)
      },
    })
    const live = { path: [] as number[], bare: [] as number[] }
    // CPU ms of the messages and of the bare 100-window calls: what a busy machine's
    // preemption (in every wall time above) does not change.
    const liveCpu = { path: 0, bare: 0 }
    for (let k = 0; k < LIVE_BATCHES; k++) {
      const first = calls.sizes.length
      const message = nextMessage(1)
      const c0 = cpuMs()
      const w0 = performance.now()
      const out = await liveShared.run(message, MAX_WINDOWS_PER_CALL, stats)
      live.path.push(performance.now() - w0)
      liveCpu.path += cpuMs() - c0
      if (out.reduce((n, s) => n + (s?.t.length ?? 0), 0) !== pumps)
        throw new Error(`score: a live batch did not score one window per pump`)
      for (let c = first; c < calls.sizes.length; c++) {
        const b0 = performance.now()
        await bareRun(calls.sizes[c]!)
        calls.bare.push(performance.now() - b0)
      }
      const c1 = cpuMs()
      const b0 = performance.now()
      await bareRun(pumps)
      live.bare.push(performance.now() - b0)
      liveCpu.bare += cpuMs() - c1
    }
    const sizes = [...new Set(calls.sizes)].join('/')
    const callP99 = { path: quantile(calls.path, 0.99), bare: quantile(calls.bare, 0.99) }
    const liveP99 = { path: quantile(live.path, 0.99), bare: quantile(live.bare, 0.99) }
    log(
      `score: live, per model call of ${sizes} windows: wall ms p50 ${median(calls.path).toFixed(2)} ` +
        `p99 ${callP99.path.toFixed(2)}; bare calls of the same sizes p50 ${median(calls.bare).toFixed(2)} ` +
        `p99 ${callP99.bare.toFixed(2)} (${calls.path.length} calls)`,
    )
    log(
      `score: live, per message of ${pumps} windows (one per pump, ${calls.path.length / LIVE_BATCHES} calls): ` +
        `wall ms p50 ${median(live.path).toFixed(2)} p99 ${liveP99.path.toFixed(2)}; one bare ${pumps}-window call ` +
        `p50 ${median(live.bare).toFixed(2)} p99 ${liveP99.bare.toFixed(2)} (${LIVE_BATCHES} messages); ` +
        `CPU ms per message ${(liveCpu.path / LIVE_BATCHES).toFixed(2)}, per bare call ${(liveCpu.bare / LIVE_BATCHES).toFixed(2)}`,
    )
    await session.release()
    await ae.close()
    scorers = []
    return [
      figure({
        name: 'score.path_vs_batch1',
        value: pathRate,
        unit: 'windows/CPU-s',
        baseline: 'bare onnxruntime-node session.run, one window per call',
        baseline_value: r.bare1!,
        target: 'ratio >= 2 (at least twice one window per call)',
        check: (f) => f.ratio >= 2,
      }),
      figure({
        name: 'score.path_p99_message_ms',
        value: p99.path,
        unit: `ms per message of ${pumps * rows} windows (p99 of ${wall.path.length})`,
        baseline: 'bare onnxruntime-node session.run over the same windows, 32 per call (p99)',
        baseline_value: p99.bare32,
      }),
      figure({
        name: 'score.p99_live_batch_ms',
        value: callP99.path,
        unit: `ms per model call (batch) of <= ${MAX_WINDOWS_PER_CALL} windows in live running (p99 of ${calls.path.length})`,
        baseline: `bare onnxruntime-node session.run of ready windows, calls of the same sizes (${sizes}) (p99)`,
        baseline_value: callP99.bare,
        limit: 5,
        target: 'value <= 5 ms',
        check: (f) => f.value <= 5,
      }),
      figure({
        name: 'score.p99_live_message_ms',
        value: liveP99.path,
        unit: `ms per live message of ${pumps} windows, one per pump, in ${calls.path.length / LIVE_BATCHES} calls (p99 of ${LIVE_BATCHES})`,
        baseline: `one bare onnxruntime-node session.run of ${pumps} ready windows (p99)`,
        baseline_value: liveP99.bare,
      }),
      figure({
        name: 'score.path_vs_batch32',
        value: pathRate,
        unit: 'windows/CPU-s',
        baseline: 'bare onnxruntime-node session.run, 32 windows per call, no scaling or error maths',
        baseline_value: r.bare32!,
        target: 'ratio >= 0.7 (at least 70% of bare batch-32)',
        check: (f) => f.ratio >= 0.7,
      }),
    ]
  },
}

export default bench
