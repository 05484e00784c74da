import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import type { AlarmView } from '../../shared/alarms.ts'
import type { ModelCard } from '../../shared/model-card.ts'
import type { PlantHeadFigures } from '../../shared/kpi-channels.ts'
import type { PredictionBatch, ScoreBatch } from '../../shared/samples.ts'
import type { ThresholdProposal } from '../../shared/threshold-channels.ts'
import { writeKindModel } from '../models/kind-graphs.fixture.ts'
import { AlarmRig, demoPlant } from './test-kit.ts'

/*
 * A model that joins the running engine gets from the alarm system what one loaded at start
 * gets: a RUL model the same alarms, raised at the same predictions with the same messages;
 * a detector fitted on an asset that did not name it a window alarm and an adaptive threshold.
 */

const dir = mkdtempSync(join(tmpdir(), 'vigil-hot-alarms-'))
const rigs: AlarmRig[] = []
afterEach(async () => {
  for (const r of rigs.splice(0)) {
    await r.close()
    r.remove()
  }
})

const COMPRESSOR = ['Inlet_Temperature_C', 'Discharge_Temperature_C', 'Vibration_mm_s']
function cardOf(kind: 'rul' | 'classifier', id: string, threshold: number): ModelCard {
  const folder = writeKindModel(dir, kind, { id, tags: COMPRESSOR, everySeconds: 60, threshold })
  return JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8')) as ModelCard
}

const rulBatch = (t0: number, values: number[]): PredictionBatch => ({
  assetId: 'C-201',
  modelId: 'hot-rul',
  modelVersion: '1.0.0',
  kind: 'rul',
  t: Float64Array.from(values, (_, i) => t0 + i * 60_000),
  value: Float64Array.from(values),
  threshold: 30,
  flagged: Uint8Array.from(values, (v) => Number(v < 30)),
  spread: Float64Array.from(values, () => 4),
  latencyMs: 1,
})

async function rig(start: ModelCard[]): Promise<AlarmRig> {
  const plant = demoPlant((p) => {
    p.assets.find((a) => a.id === 'C-201')!.models = ['hot-rul']
  })
  const r = new AlarmRig(plant, {
    cardThresholds: Object.fromEntries(start.map((c) => [c.id, c.threshold.value])),
    rulModels: Object.fromEntries(start.flatMap((c) => (c.rul ? [[c.id, c.rul.unit]] : []))),
    predictorCards: start.filter((c) => c.kind === 'rul'),
  })
  rigs.push(r)
  return r.open()
}

const c201 = async (r: AlarmRig) =>
  (await r.call<{ alarms: AlarmView[] }>('alarms.list', { assetId: 'C-201', includeNormal: true })).alarms

describe('a model added to the running alarm system', () => {
  it('raises a RUL model exactly as one loaded at start: same alarms, same moments, same messages', async () => {
    const card = cardOf('rul', 'hot-rul', 30)
    const atStart = await rig([card])
    const added = await rig([])
    // Before: an unknown model named by the asset has a window alarm, as at any start.
    expect((await c201(added)).map((a) => a.id)).toContain('C-201/model/hot-rul')
    added.system.addModel(card)

    // Life falls under the 30-cycle horizon, then recovers past its deadband.
    const t0 = Date.UTC(2025, 6, 1, 9)
    const seq = [80, 50, 29, 25, 20, 40, 60]
    for (let i = 0; i < seq.length; i++)
      for (const r of [atStart, added]) r.system.predictions(rulBatch(t0 + i * 60_000, [seq[i]!]))
    const a = await c201(atStart)
    const b = await c201(added)
    const byId = (l: AlarmView[]) => Object.fromEntries(l.map((x) => [x.id, x]))
    expect(Object.keys(byId(b)).sort()).toEqual(Object.keys(byId(a)).sort())
    expect(byId(b)['C-201/rul/hot-rul']).toEqual(byId(a)['C-201/rul/hot-rul'])
    expect(byId(b)['C-201/rul/hot-rul']!.state).toBe('rtn-unack')
    // The journal: activated at the second prediction under the horizon, cleared on recovery.
    const journal = (r: AlarmRig) =>
      r.messages.flatMap((m) =>
        m.alarms.filter((x) => x.kind === 'rul').map((x) => `${x.state}@${x.changedAt}`),
      )
    expect(journal(added)).toEqual(journal(atStart))
    expect(journal(added).length).toBeGreaterThan(0)
    // The maintenance finding opened by the short life, and the plant head's RUL figure.
    expect(added.system.maintenance.openEvents().map((e) => e.cause)).toEqual(
      atStart.system.maintenance.openEvents().map((e) => e.cause),
    )
    const rul = async (r: AlarmRig) =>
      (await r.call<PlantHeadFigures>('kpi.plantHead', {})).assets.find((x) => x.assetId === 'C-201')!.rul
    expect(await rul(added)).toEqual(await rul(atStart))
    expect((await rul(added)).status).toBe('ok')
  })

  it('gives a detector fitted on an asset that did not name it a window alarm and a threshold to accept', async () => {
    const r = await rig([])
    const card = cardOf('classifier', 'fit-c201', 0.4)
    const thresholds = async () =>
      (await r.call<{ proposals: ThresholdProposal[] }>('models.thresholds', { assetId: 'C-201' })).proposals
    expect((await thresholds()).map((p) => p.modelId)).not.toContain('fit-c201')
    // What engine/hot-models.ts does for a fit: the asset lists it, then the alarm system learns of it.
    r.plant.assets.find((a) => a.id === 'C-201')!.models.push('fit-c201')
    r.system.addModel(card)
    expect((await thresholds()).find((p) => p.modelId === 'fit-c201')?.cardThreshold).toBe(0.4)

    r.system.scores(anomalous('fit-c201', Date.UTC(2025, 6, 1, 9)))
    expect(r.state('C-201/model/fit-c201')).toBe('unack')
    const view = (await c201(r)).find((a) => a.id === 'C-201/model/fit-c201')!
    expect(view.message).toMatch(/anomaly score 0\.900 over 0\.400, mostly Discharge_Temperature_C/)
  })

  it("judges a RUL model replaced by a re-fit by the new card's horizon, on the same alarm", async () => {
    const r = await rig([cardOf('rul', 'hot-rul', 30)])
    const t0 = Date.UTC(2025, 6, 1, 9)
    // 50 cycles left: over the first card's 30-cycle horizon, so nothing sounds.
    for (let i = 0; i < 3; i++) r.system.predictions(rulBatch(t0 + i * 60_000, [50]))
    expect(r.state('C-201/rul/hot-rul')).toBe('normal')
    // What engine/hot-models.ts does when the model's folder is copied over with a re-fit.
    r.system.addModel(cardOf('rul', 'hot-rul', 60))
    for (let i = 3; i < 6; i++) r.system.predictions(rulBatch(t0 + i * 60_000, [50]))
    expect(r.state('C-201/rul/hot-rul')).toBe('unack')
    const view = (await c201(r)).find((a) => a.id === 'C-201/rul/hot-rul')!
    expect(view.limit).toBe(60)
    expect(view.message).toMatch(/under the 60(\.0+)? cycles horizon/)
    expect((await c201(r)).filter((a) => a.kind === 'rul')).toHaveLength(1)
  })

  it('ends the alarms of a served detector whose folder was deleted: an active one returns to normal, saying why', async () => {
    const r = await rig([])
    const card = cardOf('classifier', 'gone-c201', 0.4)
    r.plant.assets.find((a) => a.id === 'C-201')!.models.push('gone-c201')
    r.system.addModel(card)
    r.system.scores(anomalous('gone-c201', Date.UTC(2025, 6, 1, 9)))
    expect(r.state('C-201/model/gone-c201')).toBe('unack')
    // What engine/hot-models.ts does when the folder goes: the asset drops it, then the alarms learn of it.
    const models = r.plant.assets.find((a) => a.id === 'C-201')!.models
    models.splice(models.indexOf('gone-c201'), 1)
    r.system.removeModel(card, [])
    expect((await c201(r)).map((a) => a.id)).not.toContain('C-201/model/gone-c201')
    const cleared = r.messages.flatMap((m) => m.alarms.filter((x) => x.id === 'C-201/model/gone-c201'))
    expect(cleared.at(-1)!.state).toBe('rtn-unack')
    expect(cleared.at(-1)!.message).toMatch(/model "gone-c201" was removed/)
    const proposals = (
      await r.call<{ proposals: ThresholdProposal[] }>('models.thresholds', { assetId: 'C-201' })
    ).proposals
    expect(proposals.map((p) => p.modelId)).not.toContain('gone-c201')
  })

  it("keeps the window alarm a missing model gets when the asset's plant entry still names the removed RUL model", async () => {
    const card = cardOf('rul', 'hot-rul', 30)
    const r = await rig([card])
    const t0 = Date.UTC(2025, 6, 1, 9)
    for (let i = 0; i < 4; i++) r.system.predictions(rulBatch(t0 + i * 60_000, [20]))
    expect(r.state('C-201/rul/hot-rul')).toBe('unack')
    r.system.removeModel(card, ['C-201'])
    const ids = (await c201(r)).map((a) => a.id)
    expect(ids).not.toContain('C-201/rul/hot-rul')
    expect(ids).toContain('C-201/model/hot-rul')
    expect(r.state('C-201/model/hot-rul')).toBe('normal')
    // No judge is left for the RUL alarm: a late prediction changes nothing.
    r.system.predictions(rulBatch(t0 + 10 * 60_000, [10]))
    expect((await c201(r)).map((a) => a.id)).not.toContain('C-201/rul/hot-rul')
  })
})

/** Ten anomalous windows at 1 Hz from `modelId` on C-201: past the 5 s on-delay of model alarms (alarm-defs.ts). */
function anomalous(modelId: string, t0: number): ScoreBatch {
  const n = 10
  return {
    assetId: 'C-201',
    modelId,
    modelVersion: '1.0.0',
    tags: COMPRESSOR,
    threshold: 0.4,
    t: Float64Array.from({ length: n }, (_, i) => t0 + i * 1000),
    score: new Float64Array(n).fill(0.9),
    anomaly: new Uint8Array(n).fill(1),
    contrib: Float64Array.from({ length: n * 3 }, (_, k) => (k % 3 === 1 ? 0.8 : 0.1)),
    sensorState: new Uint8Array(n * 3),
    latencyMs: 1,
  }
}

afterAll(() => rmSync(dir, { recursive: true, force: true }))
