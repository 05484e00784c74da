import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parsePlantConfig } from '../engine/plant-config.ts'
import { writeKindModel } from '../models/kind-graphs.fixture.ts'
import { openPredictor } from '../models/predictor.ts'
import { loadModel } from '../models/registry.ts'
import { demoPlantPath, modelsDir } from '../paths.ts'
import { generateCompressor } from '../sources/simulator/index.ts'
import { AssetPrediction } from './asset-prediction.ts'
import { runPredictions } from './shared-predictions.ts'

const root = mkdtempSync(join(tmpdir(), 'vigil-asset-prediction-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
const plant = parsePlantConfig(JSON.parse(readFileSync(demoPlantPath(), 'utf8')))
const asset = (id: string) => plant.assets.find((a) => a.id === id)!
const stats = () => ({ modelMs: 0, modelCpuMs: 0, calls: 0, windows: 0, skipped: 0 })

/** Columns of `n` samples one second apart for the asset's tags, each value given by fn(tag, i). */
function columns(tags: string[], n: number, fn: (tag: string, i: number) => number, t0 = 0) {
  return {
    t: Float64Array.from({ length: n }, (_, i) => t0 + i * 1000),
    values: tags.map((tag) => Float64Array.from({ length: n }, (_, i) => fn(tag, i))),
    quality: tags.map(() => new Uint8Array(n)),
  }
}

describe('predictors on an asset stream', () => {
  it('runs a RUL model every everySeconds of data time on the latest window, across batches', async () => {
    const c = asset('C-201')
    const dir = writeKindModel(root, 'rul', {
      tags: ['Inlet_Temperature_C', 'Vibration_mm_s'],
      window: 5,
      everySeconds: 30,
    })
    const ap = new AssetPrediction(await openPredictor(loadModel(dir)), c)
    const tags = c.tags.map((t) => t.id)
    const a = columns(tags, 50, (_, i) => i)
    const b = columns(tags, 50, (_, i) => 50 + i, 50_000)
    const first = ap.collect(a.t, a.values, a.quality)
    const second = ap.collect(b.t, b.values, b.quality)
    // The first window completes at sample 4 (t 4 s); then every 30 s of data.
    expect([...first.t]).toEqual([4000, 34000])
    expect([...second.t]).toEqual([64000, 94000])
    // The window ending at 64 s holds samples 60..64, oldest first.
    expect([...second.inputs.subarray(0, 10)]).toEqual([60, 60, 61, 61, 62, 62, 63, 63, 64, 64])
    await ap.p.close()
  })

  it('predicts each cast once when Cast_Number changes, resampled in time, skipping units under minSeconds', async () => {
    const cc = asset('CC-1')
    const dir = writeKindModel(root, 'defect', {
      tags: ['Superheat_C'],
      window: 3,
      by: 'Cast_Number',
      max: 100,
    })
    const m = loadModel(dir)
    m.card.sequence!.minSeconds = 5
    const ap = new AssetPrediction(await openPredictor(m), cc)
    const tags = cc.tags.map((t) => t.id)
    // Cast 7 for 10 s (superheat 0..9), cast 8 for 3 s (too short), then cast 9 starts.
    const cast = (i: number) => (i < 10 ? 7 : i < 13 ? 8 : 9)
    const s = columns(tags, 16, (tag, i) => (tag === 'Cast_Number' ? cast(i) : i))
    const [out] = await runPredictions([{ predictor: ap, ...s }], stats())
    expect([...out!.unit!]).toEqual([7])
    expect(out!.t[0]).toBe(9000)
    const got = ap.collect(
      new Float64Array(0),
      tags.map(() => new Float64Array(0)),
      [],
    )
    expect(got.n).toBe(0)
    await ap.p.close()
  })

  it('feeds a policy only validated values and names a tag the asset lacks, with the asset', async () => {
    const c = asset('C-201')
    const dir = writeKindModel(root, 'policy', {
      tags: ['Vibration_mm_s'],
      actions: ['IGV_Position_pct'],
      everySeconds: 10,
    })
    const ap = new AssetPrediction(await openPredictor(loadModel(dir)), c)
    const tags = c.tags.map((t) => t.id)
    const s = columns(tags, 3, () => 5)
    const k = tags.indexOf('Vibration_mm_s')
    s.values[k]![1] = 10
    s.quality[k]![1] = 1 // flagged by validation: not a value to act on
    const [out] = await runPredictions([{ predictor: ap, ...s }], stats())
    expect(out!.actions![0]).toBeCloseTo(50, 4)
    await ap.p.close()

    const other = writeKindModel(root, 'defect', {
      id: 'needs-cast',
      tags: ['Vibration_mm_s'],
      by: 'Cast_Number',
    })
    const p = await openPredictor(loadModel(other))
    expect(() => new AssetPrediction(p, c)).toThrow(
      'model "needs-cast" needs tag "Cast_Number" (sequence.by), which asset "C-201" does not have',
    )
    await p.close()
  })

  const ppo = join(modelsDir(), 'compressor-ppo')
  it.skipIf(!existsSync(join(ppo, 'model.json')))(
    'turns the shipped compressor policy into setpoint advice with gain and margins',
    async () => {
      const c = asset('C-201')
      const ap = new AssetPrediction(await openPredictor(loadModel(ppo)), c)
      const { batch } = generateCompressor({ seed: 3, startMs: Date.UTC(2025, 0, 1), n: 400 })
      const quality = batch.values.map((v) => new Uint8Array(v.length))
      const [out] = await runPredictions(
        [{ predictor: ap, t: batch.t, values: batch.values, quality }],
        stats(),
      )
      expect(out!.advice).toHaveLength(out!.t.length)
      const a = out!.advice![0]!
      expect(a.assetId).toBe('C-201')
      expect(a.why.length).toBeGreaterThan(10)
      if (a.suggestion)
        expect(a.suggestion.moves.map((m) => m.tag)).toEqual(['Shaft_Speed_rpm', 'IGV_Position_pct'])
      await ap.p.close()
    },
  )
})
