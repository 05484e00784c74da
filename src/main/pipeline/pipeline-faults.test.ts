import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadPlantConfig } from '../engine/plant-config.ts'
import { loadModels } from '../models/registry.ts'
import { demoPlantPath, modelsDir } from '../paths.ts'
import { pumpBatches } from './pump-batches.fixture.ts'
import { createPipeline, type Pipeline, type WorkerCrash } from './pipeline.ts'

/*
 * The real pipeline worker (validation, rolling stats, the shipped ONNX model) wrapped by
 * faulty.worker.fixture.ts, which dies when this test drops a file into its fault folder.
 */
const faults = mkdtempSync(join(tmpdir(), 'vigil-faults-'))
process.env.VIGIL_TEST_FAULTS = faults
const inject = (fault: 'crash' | 'hang' | 'throw', times = 1) =>
  writeFileSync(join(faults, fault), String(times))

const plant = loadPlantConfig(demoPlantPath())
const crashes: WorkerCrash[] = []
let pipeline: Pipeline
/** The next 40 s of P-101 from the simulator. */
const batch = pumpBatches()
async function until(pred: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms
  while (!pred()) {
    if (Date.now() > end) throw new Error('condition not reached in time')
    await new Promise((r) => setTimeout(r, 20))
  }
}

beforeAll(async () => {
  pipeline = createPipeline({
    // The pump alone: a thread that dies takes every asset it serves with it, and this test
    // checks what is reported for the one asset whose batch was running.
    assets: plant.assets.filter((a) => a.id === 'P-101'),
    models: loadModels(modelsDir()).models,
    shards: 1,
    taskTimeoutMs: 6000,
    workerFile: new URL('./faulty.worker.fixture.ts', import.meta.url),
    onWorkerCrash: (c) => crashes.push(c),
  })
  expect((await pipeline.process(batch())).scores[0]!.t.length).toBeGreaterThan(0)
})
afterAll(async () => {
  await pipeline?.close()
  rmSync(faults, { recursive: true, force: true })
})

describe('pipeline threads that die', () => {
  it('replaces a thread that dies mid-batch and retries the batch once, keeping batch order', async () => {
    inject('crash')
    const sent = [batch(), batch(), batch()]
    const firstTimes = sent.map((b) => b.t[0]!)
    const results = await Promise.all(sent.map((b) => pipeline.process(b)))
    expect(results.map((r) => r.batch.t[0])).toEqual(firstTimes)
    expect(results.every((r) => r.batch.quality.length === 10)).toBe(true)
    expect(pipeline.counters()).toEqual({ workerRestarts: 1, batchesRetried: 1, batchesLost: 0 })
    await until(() => crashes.length === 1)
    expect(crashes[0]!.assetIds).toEqual(['P-101'])
    expect(crashes[0]!.message).toMatch(/pipeline thread 0 died \(worker exited with code: 70\)/)
    // The new thread scores again once it has seen a window's worth of samples.
    expect((await pipeline.process(batch())).scores.length).toBe(1)
  })

  it('counts a batch whose thread dies twice as lost, says so, and goes on with the next', async () => {
    inject('crash', 2)
    await expect(pipeline.process(batch())).rejects.toThrow(
      /batch of 40 samples for "P-101" was lost: its thread died, and so did the next/,
    )
    expect(pipeline.counters()).toEqual({ workerRestarts: 3, batchesRetried: 2, batchesLost: 1 })
    expect((await pipeline.process(batch())).batch.t.length).toBe(40)
  })

  it('survives an uncaught error thrown outside any batch: the process lives, the thread is replaced', async () => {
    inject('throw')
    expect((await pipeline.process(batch())).batch.t.length).toBe(40)
    // An idle Piscina thread sleeps in Atomics.wait, so the timer's error fires when the next
    // batch wakes it: that batch is the one in flight when the thread dies.
    expect((await pipeline.process(batch())).batch.t.length).toBe(40)
    expect(pipeline.counters()).toEqual({ workerRestarts: 4, batchesRetried: 3, batchesLost: 1 })
    await until(() => crashes.length === 4)
    expect(crashes[3]!.message).toMatch(/injected fault: uncaught error in the pipeline thread/)
  })

  it('replaces a thread that stops answering once the batch has run past the time limit', async () => {
    inject('hang')
    expect((await pipeline.process(batch())).batch.t.length).toBe(40)
    expect(pipeline.counters()).toEqual({ workerRestarts: 5, batchesRetried: 4, batchesLost: 1 })
    await until(() => crashes.length === 5)
    expect(crashes[4]!.message).toMatch(/hung: no answer within the time limit/)
  })

  it('drops a batch whose columns do not match the asset at once, naming it, without a retry', async () => {
    const bad = { ...batch(), values: [new Float64Array(40)] }
    await expect(pipeline.process(bad)).rejects.toThrow(/batch for "P-101" has 1 value columns for 10 tags/)
    expect(pipeline.counters()).toEqual({ workerRestarts: 5, batchesRetried: 4, batchesLost: 2 })
  })
})
