import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SensorState, type ScoreBatch } from '../../../shared/samples.ts'
import { loadPlantConfig } from '../../engine/plant-config.ts'
import { demoPlantPath } from '../../paths.ts'
import { createPipeline, type Pipeline } from '../../pipeline/pipeline.ts'
import { generatePump, PUMP_TAGS } from '../../sources/simulator/index.ts'
import { loadModel, type LoadedModel } from '../registry.ts'
import { writeFittedModel } from './fitted-model.ts'
import { openDetector } from './open-detector.ts'
import { fitPca } from './pca-fit.ts'
import { openPca } from './pca-scorer.ts'
import { pcaStatistics } from './pca-stats.ts'

/*
 * A PCA model fitted on eight hours of the simulated pump's normal running (an hour is too
 * short: it misses the ambient temperature's swing, and the next hour looks anomalous),
 * written as a model folder, then served by the pipeline worker that serves the shipped
 * autoencoder.
 */
const HOUR = 3_600_000
const start = Date.UTC(2025, 2, 3, 9)
let dir = ''
let model: LoadedModel
let pipeline: Pipeline
const fitted = fitPca(generatePump({ seed: 31, startMs: start, n: 8 * 3600 }).values, [...PUMP_TAGS])

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-pca-scorer-'))
  writeFittedModel(join(dir, 'p-101-pca'), fitted, { data: 'simulator, seed 31, 8 h', assetClass: 'pump' })
  model = loadModel(join(dir, 'p-101-pca'))
})
afterAll(async () => {
  await pipeline?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('a fitted PCA model served like a shipped one', () => {
  it('is opened by kind and scores rows as the TypeScript statistics do, NaN for a row missing a value', async () => {
    const det = await openDetector(model)
    const b = generatePump({ seed: 32, startMs: start + 8 * HOUR, n: 50 })
    const F = PUMP_TAGS.length
    const rows = new Float64Array(50 * F)
    for (let i = 0; i < 50; i++) for (let j = 0; j < F; j++) rows[i * F + j] = b.values[j]![i]!
    rows[7 * F + 2] = NaN
    const got = await det.score(rows, 50)
    const want = { t2: new Float64Array(50), q: new Float64Array(50), score: new Float64Array(50) }
    pcaStatistics(fitted, Float64Array.from(rows, Math.fround), 50, want)
    expect(det.window).toBe(1)
    expect(det.threshold).toBe(1)
    for (let i = 0; i < 50; i++)
      if (i === 7) expect(got.score[i]).toBeNaN()
      else expect(Math.abs(got.score[i]! - want.score[i]!)).toBeLessThan(1e-4 * Math.max(1, want.score[i]!))
    expect(Array.from(got.contrib.subarray(7 * F, 8 * F)).every(Number.isNaN)).toBe(true)
    await det.close()
  })

  it('refuses to open a card that is not a PCA card', async () => {
    const card = { ...model.card, kind: 'autoencoder' as const }
    await expect(openPca({ ...model, card })).rejects.toThrow(/card kind is not "pca"/)
  })

  it('flags cavitation on P-101 in the pipeline worker and blames suction pressure', async () => {
    const asset = { ...loadPlantConfig(demoPlantPath()).assets[0]!, models: ['p-101-pca'] }
    pipeline = createPipeline({ assets: [asset], models: [model], shards: 1 })
    const since = start + 8 * HOUR + 600_000
    const run = generatePump({
      seed: 33,
      startMs: start + 8 * HOUR,
      n: 1200,
      faults: [{ kind: 'cavitation', since }],
    })
    const batches: ScoreBatch[] = []
    for (let i = 0; i < 1200; i += 100) {
      const r = await pipeline.process({
        assetId: asset.id,
        t: run.t.slice(i, i + 100),
        values: run.values.map((v) => v.slice(i, i + 100)),
      })
      expect(r.errors).toEqual([])
      batches.push(...r.scores)
    }
    expect(batches.every((b) => b.modelId === 'p-101-pca' && b.threshold === 1)).toBe(true)
    const rows = batches.flatMap((b) => Array.from(b.t, (t, w) => ({ t, w, b })))
    expect(rows).toHaveLength(1200)
    const share = (from: number, to: number) => {
      const r = rows.filter((x) => x.t >= from && x.t < to)
      return r.filter((x) => x.b.anomaly[x.w]).length / r.length
    }
    expect(share(0, since)).toBeLessThan(0.05)
    // Cavitation reaches full severity 20 s after it starts.
    expect(share(since + 30_000, Infinity)).toBeGreaterThan(0.95)
    const suction = PUMP_TAGS.indexOf('Suction_Pressure_bar')
    const late = rows.filter((x) => x.t >= since + 30_000)
    const F = PUMP_TAGS.length
    const mean = PUMP_TAGS.map(
      (_, j) => late.reduce((s, x) => s + x.b.contrib[x.w * F + j]!, 0) / late.length,
    )
    expect(mean.indexOf(Math.max(...mean))).toBe(suction)
    // Suction falls below its 0.3 bar critical limit, so the state says CRITICAL rather than ANOMALOUS.
    const states = late.map((x) => x.b.sensorState[x.w * F + suction])
    expect(
      states.filter((s) => s === SensorState.CRITICAL || s === SensorState.ANOMALOUS).length / late.length,
    ).toBeGreaterThan(0.9)
  })
})
