import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AssetView, Health } from '../../shared/contract.ts'
import type { Result } from '../../shared/errors.ts'
import type { ThresholdProposal } from '../../shared/threshold-channels.ts'
import type { LiveMessage, ScoreBatch } from '../../shared/samples.ts'
import { demoPlantPath, modelsDir } from '../paths.ts'
import { createEngine, type RunningEngine } from './engine.ts'
import { parsePlantConfig } from './plant-config.ts'

/*
 * A user model folder served since start that an engineer overwrites with a re-fit (same id,
 * same folder), then with a half-written copy, then deletes; and one served to the asset it was
 * fitted on that is deleted too. The shipped pump autoencoder's real ONNX file under another id,
 * real engine, real pipeline threads, real temp folders.
 */

const dir = mkdtempSync(join(tmpdir(), 'vigil-replaced-model-'))
const userModels = join(dir, 'user-models')
const folder = join(userModels, 'hand-ae')
const pumpCard = JSON.parse(readFileSync(join(modelsDir(), 'pump-ae', 'model.json'), 'utf8'))
const pumpOnnx = readFileSync(join(modelsDir(), 'pump-ae', 'model.onnx'))
const T1 = pumpCard.threshold.value as number
/** The re-fit's threshold: any other value shows which card the windows are judged by. */
const T2 = Math.round(T1 * 3 * 1e6) / 1e6
let engine: RunningEngine
const scores: ScoreBatch[] = []
const served: Extract<LiveMessage, { topic: 'models' }>[] = []

function writeModel(to: string, card: Record<string, unknown>, onnx: Buffer = pumpOnnx): void {
  mkdirSync(to, { recursive: true })
  writeFileSync(join(to, 'model.json'), JSON.stringify({ ...pumpCard, ...card }))
  writeFileSync(join(to, 'model.onnx'), onnx)
}
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
const errorsText = async () => (await health()).modelErrors.map((e) => `${e.folder}: ${e.message}`).join('\n')
const versionOf = async (id: string) => (await health()).models.find((m) => m.id === id)?.version
const p101Models = async () =>
  value<{ assets: AssetView[] }>(await engine.dispatch('plant.describe', {})).assets.find(
    (a) => a.id === 'P-101',
  )!.models
const handScores = () => scores.filter((s) => s.modelId === 'hand-ae')

beforeAll(async () => {
  writeModel(folder, { id: 'hand-ae', version: '1.0.0' })
  const raw = JSON.parse(readFileSync(demoPlantPath(), 'utf8'))
  raw.assets = raw.assets.filter((a: { id: string }) => a.id === 'P-101')
  raw.assets[0].models = ['hand-ae']
  engine = await createEngine({
    config: parsePlantConfig(raw),
    dbPath: join(dir, 'replaced.db'),
    modelsDir: modelsDir(),
    userModelsDir: userModels,
    simSpeed: 100,
    userDataDir: dir,
  })
  engine.subscribe((m) => {
    if (m.topic === 'scores') scores.push(m.batch)
    if (m.topic === 'models') served.push(m)
  })
}, 60_000)
afterAll(async () => {
  await engine?.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('a served user model folder replaced or removed while the engine runs', () => {
  it('serves the re-fitted model written over the folder from the next windows on', async () => {
    await until(() => handScores().length > 0, 30_000, 'P-101 scored by hand-ae')
    expect(handScores().every((s) => s.threshold === T1)).toBe(true)
    expect(await versionOf('hand-ae')).toBe('1.0.0')
    const sessions = (await health()).load!.models.sessions
    expect(sessions).toBeGreaterThan(0)

    writeModel(folder, { id: 'hand-ae', version: '2.0.0', threshold: { value: T2, method: 're-fitted' } })
    await until(() => handScores().some((s) => s.threshold === T2), 30_000, 'windows judged by the re-fit')
    expect(await versionOf('hand-ae')).toBe('2.0.0')
    const h = await health()
    // The replaced card's session was closed as the re-fit's opened.
    expect(h.load!.models.sessions).toBe(sessions)
    expect(h.models.filter((m) => m.id === 'hand-ae')).toHaveLength(1)
    expect(await errorsText()).not.toMatch(/hand-ae/)
    // Still served to P-101, which live clients are told, with the new card on the plant.
    expect(served.find((m) => m.modelId === 'hand-ae')).toMatchObject({ assetIds: ['P-101'] })
    expect((await p101Models()).find((m) => m.id === 'hand-ae')).toMatchObject({
      version: '2.0.0',
      threshold: T2,
    })
    // The alarm system judges by the new card's threshold too.
    const proposals = value<{ proposals: ThresholdProposal[] }>(
      await engine.dispatch('models.thresholds', { assetId: 'P-101' }),
    ).proposals
    expect(proposals.find((p) => p.modelId === 'hand-ae')?.cardThreshold).toBe(T2)
  })

  it('keeps serving the re-fit while a half-written copy is over it, naming the folder', async () => {
    writeModel(folder, { id: 'hand-ae', version: '3.0.0' }, pumpOnnx.subarray(0, pumpOnnx.length >> 1))
    await until(
      async () =>
        (await health()).modelErrors.some((e) => e.folder === folder && /sha256 is/.test(e.message)),
      10_000,
      'the half-written copy reported by its folder',
    )
    const before = handScores().length
    await until(() => handScores().length > before + 2, 20_000, 'P-101 still scored')
    expect(
      handScores()
        .slice(before)
        .every((s) => s.threshold === T2),
    ).toBe(true)
    expect(await versionOf('hand-ae')).toBe('2.0.0')
    // The copy completes: it is served, and the folder's error goes.
    writeFileSync(join(folder, 'model.onnx'), pumpOnnx)
    await until(async () => (await versionOf('hand-ae')) === '3.0.0', 10_000, 'version 3.0.0 served')
    expect(await errorsText()).not.toMatch(/hand-ae/)
  })

  it('withdraws a model served to the asset it was fitted on once its folder is deleted', async () => {
    const joined = join(userModels, 'joined-ae')
    writeModel(joined, { id: 'joined-ae', training: { ...pumpCard.training, assetId: 'P-101' } })
    await until(
      async () => (await p101Models()).some((m) => m.id === 'joined-ae'),
      10_000,
      'joined-ae served to P-101',
    )
    rmSync(joined, { recursive: true })
    await until(async () => !(await versionOf('joined-ae')), 10_000, 'joined-ae no longer listed')
    expect((await p101Models()).map((m) => m.id)).toEqual(['hand-ae'])
    const errors = (await health()).modelErrors
    // P-101 got it by being served, not by its plant entry: not "named but not loaded".
    expect(errors.map((e) => e.message).join('\n')).not.toMatch(/names model "joined-ae"/)
    expect(errors).toContainEqual({
      folder: joined,
      message: `${joined}: removed while the engine ran; model "joined-ae" is no longer served`,
    })
    expect(served.at(-1)).toMatchObject({ modelId: 'joined-ae', assetIds: [] })
  })

  it('stops scoring with a deleted folder and says why; the shipped models stay', async () => {
    rmSync(folder, { recursive: true })
    await until(async () => !(await versionOf('hand-ae')), 10_000, 'hand-ae no longer listed')
    const h = await health()
    expect(h.modelErrors).toContainEqual({
      folder: 'P-101',
      message: 'asset "P-101" names model "hand-ae", which is not loaded',
    })
    expect(h.modelErrors).toContainEqual({
      folder,
      message: `${folder}: removed while the engine ran; model "hand-ae" is no longer served`,
    })
    // Once, although the pipeline threads now say the same of every batch.
    const samples = h.samplesIn
    await until(async () => (await health()).samplesIn > samples + 200, 20_000, 'more P-101 samples')
    const after = await health()
    expect(after.modelErrors.filter((e) => /names model "hand-ae"/.test(e.message))).toHaveLength(1)
    const n = handScores().length
    await until(async () => (await health()).samplesIn > after.samplesIn + 200, 20_000, 'more P-101 samples')
    expect(handScores().length).toBe(n)
    // The shipped models are all still served.
    const listed = value<{ models: { id: string }[] }>(await engine.dispatch('models.list', {})).models
    for (const id of ['pump-ae', 'skab-ae', 'compressor-rf', 'caster-defect'])
      expect(listed.map((m) => m.id)).toContain(id)
  })
})
