import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AlarmView } from '../../shared/alarms.ts'
import type { Health, SeriesBlock } from '../../shared/contract.ts'
import type { Result } from '../../shared/errors.ts'
import type { PredictionBatch, SampleBatch, ScoreBatch } from '../../shared/samples.ts'
import { loadModel } from '../models/registry.ts'
import { modelsDir } from '../paths.ts'
import { createEngine, type RunningEngine } from './engine.ts'

/*
 * The shipped models on the shipped demo plant, in the real engine: the demo plant file as it
 * is, the models/ folder as it ships, the simulators 300x real time. Each model must produce
 * its outputs live: C-201's windows scored by compressor-rf, its remaining life by
 * compressor-rul, setpoint advice by compressor-ppo; CC-1's casts judged by caster-defect.
 */

const dir = mkdtempSync(join(tmpdir(), 'vigil-demo-models-'))
let engine: RunningEngine
const predictions: PredictionBatch[] = []
const scores: ScoreBatch[] = []
const failures: string[] = []
const firstSample = new Map<string, number>()

const value = <T>(r: Result<unknown>) => {
  if (!r.ok) throw new Error(r.error.message)
  return r.value as T
}
async function until(pred: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms
  while (!pred()) {
    if (Date.now() > end) throw new Error(`not reached in ${ms} ms: ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
/** Thresholds come from the shipped cards: retraining a model moves them. */
const threshold = (id: string) => loadModel(join(modelsDir(), id)).card.threshold.value
const of = (model: string) => predictions.filter((p) => p.modelId === model)
const onSamples = (b: SampleBatch) => {
  if (!firstSample.has(b.assetId) && b.t.length) firstSample.set(b.assetId, b.t[0]!)
}

beforeAll(async () => {
  const userModels = join(dir, 'user-models')
  mkdirSync(userModels)
  engine = await createEngine({
    dbPath: join(dir, 'demo.db'),
    userModelsDir: userModels,
    userDataDir: dir,
    simSpeed: 300,
  })
  engine.subscribe((m) => {
    if (m.topic === 'predictions') predictions.push(m.batch)
    if (m.topic === 'scores') scores.push(m.batch)
    if (m.topic === 'samples') onSamples(m.batch)
    if (m.topic === 'status' && m.status.state === 'failed')
      failures.push(`${m.status.assetId} ${m.status.kind}: ${m.status.message}`)
  })
}, 60_000)
afterAll(async () => {
  await engine?.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('the demo plant with its shipped models', () => {
  it('loads every model the demo plant names, with no model error', async () => {
    const h = value<Health>(await engine.dispatch('system.health', {}))
    expect(h.modelErrors).toEqual([])
    const listed = value<{ models: { id: string }[] }>(await engine.dispatch('models.list', {}))
    const ids = listed.models.map((m) => m.id)
    for (const id of ['pump-ae', 'compressor-rf', 'compressor-rul', 'compressor-ppo', 'caster-defect'])
      expect(ids).toContain(id)
  })

  it('scores C-201 windows with compressor-rf: P(anomaly) against its card threshold', async () => {
    await until(
      () => scores.some((s) => s.assetId === 'C-201' && s.modelId === 'compressor-rf'),
      60_000,
      'compressor-rf windows',
    )
    const s = scores.find((x) => x.assetId === 'C-201' && x.modelId === 'compressor-rf')!
    expect(s.threshold).toBe(threshold('compressor-rf'))
    expect(s.tags).toHaveLength(14)
    for (let i = 0; i < s.t.length; i++) {
      expect(s.score[i]).toBeGreaterThanOrEqual(0)
      expect(s.score[i]).toBeLessThanOrEqual(1)
      expect(s.anomaly[i]).toBe(s.score[i]! > s.threshold ? 1 : 0)
    }
  })

  it('predicts C-201 remaining life within its everySeconds once the window is full', async () => {
    await until(() => of('compressor-rul').length >= 3, 60_000, 'three compressor-rul predictions')
    const batches = of('compressor-rul')
    const t = batches.flatMap((p) => [...p.t])
    // 60 s window at 1 Hz, then one prediction every 60 data seconds.
    expect(t[0]! - firstSample.get('C-201')!).toBeLessThanOrEqual((60 + 60) * 1000)
    for (let i = 1; i < t.length; i++) expect(t[i]! - t[i - 1]!).toBeGreaterThanOrEqual(60_000)
    for (const p of batches) {
      expect(p.assetId).toBe('C-201')
      const h = threshold('compressor-rul')
      expect(p.threshold).toBe(h)
      for (let i = 0; i < p.t.length; i++) {
        // Hours to the wash limit, capped at 1500 by training; the spread of five members.
        expect(p.value[i]).toBeGreaterThan(-100)
        expect(p.value[i]).toBeLessThan(1700)
        expect(p.spread![i]).toBeGreaterThanOrEqual(0)
        expect(p.flagged[i]).toBe(p.value[i]! < h ? 1 : 0)
      }
    }
  })

  it('gives each finished CC-1 cast a defect probability with its members and confidence', async () => {
    await until(() => of('caster-defect').length >= 2, 90_000, 'two caster-defect predictions')
    for (const p of of('caster-defect')) {
      expect(p.assetId).toBe('CC-1')
      expect(Object.keys(p.members!).sort()).toEqual(['lstm', 'xgboost'])
      for (let i = 0; i < p.t.length; i++) {
        expect(p.value[i]).toBeGreaterThanOrEqual(0)
        expect(p.value[i]).toBeLessThanOrEqual(1)
        expect(p.confidence![i]).toBeGreaterThanOrEqual(0)
        expect(p.confidence![i]).toBeLessThanOrEqual(1)
        // The ensemble is a weighted mean of its members: between them.
        const [x, l] = [p.members!.xgboost![i]!, p.members!.lstm![i]!]
        expect(p.value[i]).toBeGreaterThanOrEqual(Math.min(x, l) - 1e-6)
        expect(p.value[i]).toBeLessThanOrEqual(Math.max(x, l) + 1e-6)
        expect(p.flagged[i]).toBe(p.value[i]! > p.threshold ? 1 : 0)
      }
    }
    const casts = of('caster-defect').flatMap((p) => [...p.unit!])
    expect(new Set(casts).size).toBe(casts.length)
    // A prediction is made at its cast's last sample, about that cast: the stored history says
    // which cast was casting then (the live stream may be coarsened by load shedding; the store is not).
    await engine.settle()
    const first = of('caster-defect')[0]!
    const t = first.t[0]!
    const block = value<SeriesBlock>(
      await engine.dispatch('history.range', {
        assetId: 'CC-1',
        tags: ['Cast_Number'],
        from: t,
        to: t + 1,
        maxPoints: 10,
      }),
    )
    expect(block.raw).toBe(true)
    expect(block.min[0]![0]).toBe(first.unit![0])
  })

  it('advises C-201 setpoints: a suggestion inside every limit, or why none', async () => {
    await until(() => of('compressor-ppo').length >= 2, 60_000, 'two compressor-ppo advices')
    for (const p of of('compressor-ppo')) {
      expect(p.actionTags).toEqual(['Shaft_Speed_rpm', 'IGV_Position_pct'])
      expect(p.advice).toHaveLength(p.t.length)
      for (const a of p.advice!) {
        expect(a.assetId).toBe('C-201')
        if (a.suggestion === null) expect(a.why).toMatch(/^No suggestion: /)
        else {
          expect(a.suggestion.gain.powerKw).toBeGreaterThanOrEqual(10)
          expect(a.suggestion.margins).toHaveLength(3)
          for (const m of a.suggestion.margins) expect(m.margin).toBeGreaterThanOrEqual(0)
          expect(a.why).toMatch(/Vigil does not change setpoints/)
        }
      }
    }
  })

  it('hands every prediction to the alarms without failing a pipeline thread', async () => {
    expect(failures).toEqual([])
    const { alarms } = value<{ alarms: AlarmView[] }>(
      await engine.dispatch('alarms.list', { assetId: 'C-201', includeNormal: true }),
    )
    const ids = alarms.map((a) => a.id)
    expect(ids).toContain('C-201/rul/compressor-rul')
    expect(ids).toContain('C-201/constraint/compressor-ppo/Surge_Margin_pct')
  })
})
