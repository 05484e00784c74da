/*
 * score: windows of the pump autoencoder (models/pump-ae, 30 x 10) scored per CPU second by
 *   - path: the pipeline's scoring path as a pipeline thread runs it for one message: 100
 *     pumps' batches of 10 readings each, window assembly per asset, every asset's windows in
 *     shared model calls of <= 128 (shared-calls.ts), MinMax scaling, reconstruction error,
 *     contributions, sensor states;
 *   - bare onnxruntime-node session.run on ready Float32 tensors, batch 1 and batch 32: the
 *     floor for one window per call, and for batched calls with nothing around them.
 * One thread, intra-op threads 1 for all, as the pipeline runs them. CPU time, interleaved.
 * Also the wall time of each message (1000 windows of 100 pumps) on the path, beside the
 * same 1000 windows in bare 32-window calls: its p99 over the rounds is the tail a pipeline
 * thread adds to a batch's latency (with 20-60 rounds, p99 is close to the slowest round).
 */
import * as ort from 'onnxruntime-node'
import { join } from 'node:path'
import { loadPlantConfig } from '../src/main/engine/plant-config.ts'
import { openAutoencoder } from '../src/main/models/autoencoder.ts'
import { loadModels } from '../src/main/models/registry.ts'
import { demoPlantPath, modelsDir } from '../src/main/paths.ts'
import { AssetScoring } from '../src/main/pipeline/asset-scoring.ts'
import { SharedCalls, type CallStats, type ScoreItem } from '../src/main/pipeline/shared-calls.ts'
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
    // Live running: each of the 100 pumps brings one new window, scored in one call of 100.
    const LIVE_BATCHES = quick ? 100 : 300
    // Each pump's readings, long enough for every round's batch after a window's warm-up.
    const data = Array.from({ length: pumps }, (_, i) =>
      generatePump({
        seed: seed * 1000 + i,
        startMs: Date.UTC(2025, 0, 1),
        n: 30 + rows * (rounds + 4) + LIVE_BATCHES + 8,
      }),
    )
    const assets = data.map((_, i) => ({ ...pump, id: `P-${i}` }))
    let scorers = assets.map((a) => new AssetScoring(ae, a))
    let at = 0
    const shared = new SharedCalls()
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
    const x32 = new Float32Array(32 * 300).map((_, i) => (i % 97) / 97)
    /** Wall ms of each message: the path's, and bare 32-window calls over as many windows. */
    const wall = { path: [] as number[], bare32: [] as number[] }
    const bare = (batch: number) => async () => {
      const windows = pumps * rows
      const calls = Math.ceil(windows / batch)
      const c0 = cpuMs()
      const w0 = performance.now()
      for (let c = 0; c < calls; c++)
        await session.run({
          [name]: new ort.Tensor('float32', x32.subarray(0, batch * 300), [batch, 30, 10]),
        })
      if (batch === 32) wall.bare32.push(performance.now() - w0)
      return ((calls * batch) / (cpuMs() - c0)) * 1000
    }
    const path = async () => {
      const c0 = cpuMs()
      const w0 = performance.now()
      const out = await shared.run(nextMessage(), 128, stats)
      wall.path.push(performance.now() - w0)
      const windows = out.reduce((n, s) => n + (s?.t.length ?? 0), 0)
      if (windows !== pumps * rows) throw new Error(`score: ${windows} windows, expected ${pumps * rows}`)
      return (windows / (cpuMs() - c0)) * 1000
    }
    const sides = { path, bare1: bare(1), bare32: bare(32) }
    for (const s of Object.values(sides)) await s()
    wall.path.length = wall.bare32.length = 0
    const r = await interleaved(sides, rounds)
    const p99 = { path: quantile(wall.path, 0.99), bare32: quantile(wall.bare32, 0.99) }
    log(
      `score: per message of ${pumps * rows} windows (${pumps} pumps), wall ms p50 ${median(wall.path).toFixed(2)} ` +
        `p99 ${p99.path.toFixed(2)}; bare 32-window calls p50 ${median(wall.bare32).toFixed(2)} p99 ${p99.bare32.toFixed(2)} ` +
        `(${wall.path.length} rounds)`,
    )
    // Per live batch (one window per pump, one model call): the path's wall time against a
    // bare session.run of 100 ready windows, alternating so both see the same machine.
    const live = { path: [] as number[], bare: [] as number[] }
    const x100 = new Float32Array(pumps * 300).map((_, i) => (i % 89) / 89)
    for (let k = 0; k < LIVE_BATCHES; k++) {
      const w0 = performance.now()
      const out = await shared.run(nextMessage(1), 128, stats)
      live.path.push(performance.now() - w0)
      if (out.reduce((n, s) => n + (s?.t.length ?? 0), 0) !== pumps)
        throw new Error(`score: a live batch did not score one window per pump`)
      const b0 = performance.now()
      await session.run({ [name]: new ort.Tensor('float32', x100, [pumps, 30, 10]) })
      live.bare.push(performance.now() - b0)
    }
    const liveP99 = { path: quantile(live.path, 0.99), bare: quantile(live.bare, 0.99) }
    log(
      `score: live batch of ${pumps} windows (one per pump), wall ms p50 ${median(live.path).toFixed(2)} ` +
        `p99 ${liveP99.path.toFixed(2)}; bare ${pumps}-window call p50 ${median(live.bare).toFixed(2)} ` +
        `p99 ${liveP99.bare.toFixed(2)} (${LIVE_BATCHES} batches)`,
    )
    await session.release()
    await ae.close()
    scorers = []
    return [
      figure({
        name: 'score.path_vs_batch1',
        value: r.path,
        unit: 'windows/CPU-s',
        baseline: 'bare onnxruntime-node session.run, one window per call',
        baseline_value: r.bare1,
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
        value: liveP99.path,
        unit: `ms per batch of ${pumps} windows, one per pump (p99 of ${LIVE_BATCHES})`,
        baseline: `bare onnxruntime-node session.run of ${pumps} ready windows (p99)`,
        baseline_value: liveP99.bare,
        limit: 5,
        target: 'value <= 5 ms',
        check: (f) => f.value <= 5,
      }),
      figure({
        name: 'score.path_vs_batch32',
        value: r.path,
        unit: 'windows/CPU-s',
        baseline: 'bare onnxruntime-node session.run, 32 windows per call, no scaling or error maths',
        baseline_value: r.bare32,
      }),
    ]
  },
}

export default bench
