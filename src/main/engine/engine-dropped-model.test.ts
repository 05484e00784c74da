import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Health, LiveSnapshot } from '../../shared/contract.ts'
import type { Result } from '../../shared/errors.ts'
import type { ModelReload } from '../../shared/model-channels.ts'
import type { AlarmView } from '../../shared/alarms.ts'
import type { PlantHeadFigures } from '../../shared/kpi-channels.ts'
import type { ThresholdProposal } from '../../shared/threshold-channels.ts'
import type { LiveMessage, PredictionBatch, ScoreBatch } from '../../shared/samples.ts'
import { writeKindModel } from '../models/kind-graphs.fixture.ts'
import { demoPlantPath, modelsDir } from '../paths.ts'
import { createEngine, type RunningEngine } from './engine.ts'
import { parsePlantConfig } from './plant-config.ts'

/*
 * A model folder copied by hand into the user's models folder while the engine runs: the
 * shipped pump autoencoder's real ONNX file under another id, written file by file as a copy
 * would (card first, then half the .onnx, then all of it), a broken folder beside it, and a
 * RUL model whose latest prediction a client's snapshot then carries. Real engine, real
 * pipeline threads, real temp folders.
 */

const dir = mkdtempSync(join(tmpdir(), 'vigil-dropped-model-'))
const userModels = join(dir, 'user-models')
const staging = join(dir, 'staging')
const COMPRESSOR = ['Inlet_Temperature_C', 'Discharge_Temperature_C', 'Vibration_mm_s']
let engine: RunningEngine
const scores: ScoreBatch[] = []
const predictions: PredictionBatch[] = []
const served: Extract<LiveMessage, { topic: 'models' }>[] = []
/** Above the fixture RUL's whole range (at most its cap, 125 cycles): every prediction is under it. */
const RUL_HORIZON = 200

const value = <T>(r: Result<unknown>) => {
  if (!r.ok) throw new Error(r.error.message)
  return r.value as T
}
async function until(pred: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`not reached in ${ms} ms: ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
const health = async () => value<Health>(await engine.dispatch('system.health', {}))
const alarmList = async (assetId: string) =>
  value<{ alarms: AlarmView[] }>(await engine.dispatch('alarms.list', { assetId, includeNormal: true }))
    .alarms
const proposals = async (assetId: string) =>
  value<{ proposals: ThresholdProposal[] }>(await engine.dispatch('models.thresholds', { assetId })).proposals
const errorsText = async () => (await health()).modelErrors.map((e) => `${e.folder}: ${e.message}`).join('\n')

beforeAll(async () => {
  const raw = JSON.parse(readFileSync(demoPlantPath(), 'utf8'))
  raw.assets = raw.assets.filter((a: { id: string }) => a.id !== 'CC-1')
  // Both name models that are not there yet: the folders arrive while the engine runs.
  raw.assets.find((a: { id: string }) => a.id === 'P-101').models = ['hand-ae']
  raw.assets.find((a: { id: string }) => a.id === 'C-201').models = ['test-rul']
  engine = await createEngine({
    config: parsePlantConfig(raw),
    dbPath: join(dir, 'dropped.db'),
    modelsDir: modelsDir(),
    userModelsDir: userModels,
    simSpeed: 100,
    userDataDir: dir,
  })
  engine.subscribe((m) => {
    if (m.topic === 'scores') scores.push(m.batch)
    if (m.topic === 'predictions') predictions.push(m.batch)
    if (m.topic === 'models') served.push(m)
  })
}, 60_000)
afterAll(async () => {
  await engine?.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('a model folder dropped into the user models folder while the engine runs', () => {
  it('waits for a half-copied folder, saying why, and scores with it once complete', async () => {
    await until(
      async () => (await errorsText()).includes('asset "P-101" names model "hand-ae", which is not loaded'),
      20_000,
      'the pipeline saying hand-ae is not loaded',
    )
    const shipped = join(modelsDir(), 'pump-ae')
    const onnx = readFileSync(join(shipped, 'model.onnx'))
    const card = { ...JSON.parse(readFileSync(join(shipped, 'model.json'), 'utf8')), id: 'hand-ae' }
    const target = join(userModels, 'hand-ae')
    // The card lands first, as a copy of the folder would write it.
    cpSync(shipped, target, { recursive: true, filter: (src) => !src.endsWith('.onnx') })
    writeFileSync(join(target, 'model.json'), JSON.stringify(card))
    await until(
      async () => /hand-ae[\s\S]*model\.onnx[\s\S]*missing/.test(await errorsText()),
      10_000,
      'the missing model.onnx reported',
    )
    writeFileSync(join(target, 'model.onnx'), onnx.subarray(0, onnx.length >> 1))
    await until(
      async () => /hand-ae[\s\S]*sha256 is/.test(await errorsText()),
      10_000,
      'the half-written model.onnx reported by its hash',
    )
    expect(scores.some((s) => s.modelId === 'hand-ae')).toBe(false)

    writeFileSync(join(target, 'model.onnx'), onnx)
    await until(
      () => scores.some((s) => s.modelId === 'hand-ae' && s.assetId === 'P-101'),
      30_000,
      'windows of P-101 scored by the dropped model',
    )
    const h = await health()
    expect(h.models.map((m) => m.id)).toContain('hand-ae')
    const left = await errorsText()
    expect(left).not.toMatch(/hand-ae/)
    const s = scores.find((x) => x.modelId === 'hand-ae')!
    expect(s.threshold).toBe(card.threshold.value)
    for (const v of s.score) expect(Number.isFinite(v)).toBe(true)
    // Open windows are told, so its panel shows without a reconnect.
    expect(served.find((m) => m.modelId === 'hand-ae')).toMatchObject({ assetIds: ['P-101'] })
  })

  it("judges a dropped detector's windows by an adaptive threshold an engineer accepts", async () => {
    const mine = (await proposals('P-101')).find((p) => p.modelId === 'hand-ae')
    expect(mine?.cardThreshold).toBe(
      JSON.parse(readFileSync(join(userModels, 'hand-ae', 'model.json'), 'utf8')).threshold.value,
    )
    // No verdicts yet, so nothing to propose; a revert to the card's threshold is still accepted.
    const r = await engine.dispatch('models.acceptThreshold', {
      assetId: 'P-101',
      modelId: 'hand-ae',
      revert: true,
    })
    expect(r.ok ? 'accepted' : r.error.message).toBe('accepted')
    expect((await alarmList('P-101')).map((a) => a.id)).toContain('P-101/model/hand-ae')
  })

  it('refuses a folder whose file is not ONNX, with the reason, and keeps scoring', async () => {
    const bytes = Buffer.from('not an onnx graph, although its hash is right')
    const sha = createHash('sha256').update(bytes).digest('hex')
    const card = JSON.parse(readFileSync(join(modelsDir(), 'pump-ae', 'model.json'), 'utf8'))
    const broken = join(staging, 'broken-ae')
    cpSync(join(modelsDir(), 'pump-ae'), broken, { recursive: true })
    writeFileSync(join(broken, 'model.json'), JSON.stringify({ ...card, id: 'broken-ae', sha256: sha }))
    writeFileSync(join(broken, 'model.onnx'), bytes)
    cpSync(broken, join(userModels, 'broken-ae'), { recursive: true })
    // Asked at once rather than waiting for the watcher: the same scan.
    const r = value<ModelReload>(await engine.dispatch('models.reload', {}))
    expect(r.loaded).toEqual([])
    expect(r.errors).toHaveLength(1)
    expect(r.errors[0]!.folder).toBe(join(userModels, 'broken-ae'))
    expect(r.errors[0]!.message).toMatch(/broken-ae[\\/]model\.onnx/)
    const listed = value<{ errors: { folder: string; message: string }[] }>(
      await engine.dispatch('models.list', {}),
    )
    expect(listed.errors.map((e) => e.folder)).toContain(join(userModels, 'broken-ae'))
    const before = scores.filter((s) => s.modelId === 'hand-ae').length
    await until(
      () => scores.filter((s) => s.modelId === 'hand-ae').length > before + 2,
      20_000,
      'P-101 still scored',
    )
  })

  it("serves a RUL model dropped in, and a new client's snapshot carries its latest prediction", async () => {
    // Named by C-201 but not loaded at start: it had a window alarm, as any unknown model does.
    expect((await alarmList('C-201')).map((a) => a.id)).toContain('C-201/model/test-rul')
    expect((await proposals('C-201')).map((p) => p.modelId)).not.toContain('test-rul')
    writeKindModel(staging, 'rul', {
      tags: COMPRESSOR,
      window: 10,
      max: 700,
      everySeconds: 60,
      threshold: RUL_HORIZON,
    })
    cpSync(join(staging, 'test-rul'), join(userModels, 'test-rul'), { recursive: true })
    await until(
      () => predictions.filter((p) => p.modelId === 'test-rul').length >= 2,
      30_000,
      'RUL predictions',
    )
    const snap = value<LiveSnapshot>(
      await engine.dispatch('live.snapshot', { assetId: 'C-201', seconds: 60 }),
    )
    const got = snap.predictions.find((p) => p.modelId === 'test-rul')!
    expect(got.kind).toBe('rul')
    expect(got.t).toHaveLength(1)
    // The hub's latest is the newest streamed so far (more may have come since the snapshot).
    const streamed = predictions.filter((p) => p.modelId === 'test-rul').flatMap((p) => [...p.t])
    expect(streamed).toContain(got.t[0])
    expect(got.t[0]).toBeGreaterThanOrEqual(streamed[1]!)
    expect(got.spread).toHaveLength(1)
    const p101 = value<LiveSnapshot>(
      await engine.dispatch('live.snapshot', { assetId: 'P-101', seconds: 60 }),
    )
    expect(p101.predictions).toEqual([])
  })

  it("raises the dropped RUL model's alarm under its horizon, as for a model loaded at start", async () => {
    await until(
      async () =>
        (await alarmList('C-201')).some((a) => a.id === 'C-201/rul/test-rul' && a.state === 'unack'),
      30_000,
      'the RUL alarm of C-201 raised',
    )
    const list = await alarmList('C-201')
    const rul = list.find((a) => a.id === 'C-201/rul/test-rul')!
    // prediction-alarm-defs.ts: a RUL alarm is medium priority, low side of the card's horizon.
    expect(rul).toMatchObject({ kind: 'rul', priority: 'medium', limit: RUL_HORIZON })
    expect(rul.value!).toBeLessThan(RUL_HORIZON)
    expect(rul.message).toMatch(/C-201 remaining life .* cycles \(test-rul\), under the 200 cycles horizon/)
    // The window alarm it had while unknown is gone: a predictor is judged by its predictions.
    expect(list.map((a) => a.id)).not.toContain('C-201/model/test-rul')
    expect(served.find((m) => m.modelId === 'test-rul')).toMatchObject({ assetIds: ['C-201'] })
    expect(served.map((m) => m.revision)).toEqual(served.map((_, i) => i + 1))
    // The plant head's RUL figure names it, with its card's unit.
    const head = value<PlantHeadFigures>(await engine.dispatch('kpi.plantHead', {}))
    expect(head.assets.find((a) => a.assetId === 'C-201')!.rul).toMatchObject({
      status: 'ok',
      modelId: 'test-rul',
      unit: 'cycles',
    })
    // Its card threshold is now one an engineer can review and accept.
    expect((await proposals('C-201')).map((p) => p.modelId)).toContain('test-rul')
  })
})
