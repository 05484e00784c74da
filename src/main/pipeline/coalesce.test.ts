import { afterAll, describe, expect, it } from 'vitest'
import { PlantConfig } from '../../shared/plant.ts'
import type { SampleBatch } from '../../shared/samples.ts'
import { loadPlantConfig } from '../engine/plant-config.ts'
import { loadModels } from '../models/registry.ts'
import { demoPlantPath, modelsDir } from '../paths.ts'
import { generatePump } from '../sources/simulator/index.ts'
import { createPipeline, type Pipeline } from './pipeline.ts'
import { MAX_WINDOWS_PER_CALL } from './shared-calls.ts'

/*
 * The real pipeline thread and the shipped model: batches that arrive while the thread is busy
 * leave as one message and share model calls; maxBatch 1 is the unbatched baseline.
 */
const pump = loadPlantConfig(demoPlantPath()).assets.find((a) => a.id === 'P-101')!
const assets = PlantConfig.parse({
  name: 'coalesce',
  assets: [1, 2, 3, 4].map((i) => ({ ...pump, id: `P-${i}` })),
}).assets
const models = loadModels(modelsDir()).models
const open: Pipeline[] = []
afterAll(async () => {
  await Promise.all(open.map((p) => p.close()))
})

/** 40 readings of each pump, in batches of 10, pumps interleaved as live sources would send them. */
function traffic(): SampleBatch[] {
  const runs = assets.map((a, i) =>
    generatePump({ seed: i + 1, startMs: Date.UTC(2025, 0, 1), n: 40, assetId: a.id }),
  )
  const out: SampleBatch[] = []
  for (let from = 0; from < 40; from += 10)
    for (const r of runs)
      out.push({
        assetId: r.assetId,
        t: r.t.slice(from, from + 10),
        values: r.values.map((v) => v.slice(from, from + 10)),
      })
  return out
}

describe('coalesced pipeline messages', () => {
  it('sends what arrives while the thread is busy as one message, answering each batch in order', async () => {
    const p = createPipeline({ assets, models, shards: 1 })
    open.push(p)
    const sent = traffic()
    const results = await Promise.all(sent.map((b) => p.process(b)))
    expect(results.map((r) => `${r.batch.assetId}@${r.batch.t[0]}`)).toEqual(
      sent.map((b) => `${b.assetId}@${b.t[0]}`),
    )
    // 4 pumps x (40 - 29) windows; the first batch went alone, the other 15 in one message,
    // whose 44 windows share as few calls as the cap on windows per call allows (2 of 22).
    const c = p.calls()
    expect(c.windows).toBe(44)
    expect(c.calls).toBe(Math.ceil(44 / MAX_WINDOWS_PER_CALL))
    expect(results.reduce((n, r) => n + r.scores.reduce((m, s) => m + s.t.length, 0), 0)).toBe(44)
    expect(p.queuedSamples()).toBe(0)
  })

  it('with maxBatch 1 makes one model call per window', async () => {
    const p = createPipeline({ assets, models, shards: 1, maxBatch: 1 })
    open.push(p)
    await Promise.all(traffic().map((b) => p.process(b)))
    expect(p.calls()).toMatchObject({ windows: 44, calls: 44 })
  })
})
