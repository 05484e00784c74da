import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadPlantConfig } from '../engine/plant-config.ts'
import { loadModels, type LoadedModel } from '../models/registry.ts'
import { demoPlantPath, modelsDir } from '../paths.ts'
import { pumpBatches } from './pump-batches.fixture.ts'
import { createPipeline, type Pipeline } from './pipeline.ts'

/*
 * The real pipeline worker and the shipped pump-ae, its card changed as a re-fit written over
 * a user model's folder changes it: each generation is served, and the sessions of the ones
 * replaced are closed, not left open in the thread.
 */
const plant = loadPlantConfig(demoPlantPath())
const pump = plant.assets.find((a) => a.id === 'P-101')!
const shipped = loadModels(modelsDir()).models.find((m) => m.card.id === 'pump-ae')!
let pipeline: Pipeline
/** The next 40 s of P-101 from the simulator. */
const batch = pumpBatches()
/** pump-ae as a re-fit would leave it: the same graph, a card with another threshold. */
const refit = (threshold: number): LoadedModel => ({
  ...shipped,
  card: {
    ...shipped.card,
    version: `1.0.${threshold * 1e4}`,
    threshold: { ...shipped.card.threshold, value: threshold },
  },
})

beforeAll(async () => {
  pipeline = createPipeline({ assets: [pump], models: [shipped], shards: 1 })
  expect((await pipeline.process(batch())).scores[0]!.t.length).toBeGreaterThan(0)
})
afterAll(async () => {
  await pipeline?.close()
})

describe('models replaced while the pipeline serves them', () => {
  it('serves each re-fit from the next batch on and closes the session of the one it replaced', async () => {
    expect(pipeline.sessions()).toBe(1)
    for (const threshold of [0.05, 0.06, 0.07, 0.08]) {
      pipeline.setModels([refit(threshold)], [pump])
      const scores = (await pipeline.process(batch())).scores[0]!
      expect(scores.threshold).toBe(threshold)
      expect(pipeline.sessions()).toBe(1)
    }
  })

  it('closes the session of a model no asset is given any more', async () => {
    pipeline.setModels([], [{ ...pump, models: [] }])
    const r = await pipeline.process(batch())
    expect(r.scores).toEqual([])
    expect(pipeline.sessions()).toBe(0)
    // And opens it again when it comes back.
    pipeline.setModels([shipped], [pump])
    expect((await pipeline.process(batch())).scores[0]!.t.length).toBeGreaterThan(0)
    expect(pipeline.sessions()).toBe(1)
  })
})
