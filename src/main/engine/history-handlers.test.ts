import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Result } from '../../shared/errors.ts'
import type { Health, HistoryStats } from '../../shared/contract.ts'
import type { Annotation, ScoreHistory } from '../../shared/history-channels.ts'
import type { ContributionSummary, FitResult } from '../../shared/model-channels.ts'
import { loadModels } from '../models/registry.ts'
import { modelsDir } from '../paths.ts'
import { createEngine, type RunningEngine } from './engine.ts'

const dir = mkdtempSync(join(tmpdir(), 'vigil-history-ch-'))
const userModels = join(dir, 'models')
let engine: RunningEngine

const value = <T>(r: Result<unknown>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return r.value as T
}
const call = async <T>(m: string, req: unknown) => value<T>(await engine.dispatch(m, req))

/** The stored span of P-101 once it holds at least `samples` samples. */
async function span(samples: number): Promise<{ from: number; to: number }> {
  for (let i = 0; i < 400; i++) {
    await engine.settle()
    const a = (await call<HistoryStats>('history.stats', {})).assets.find((x) => x.assetId === 'P-101')
    if (a && a.samples >= samples && a.from !== null && a.to !== null) return { from: a.from, to: a.to + 1 }
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`P-101 did not reach ${samples} stored samples`)
}

beforeAll(async () => {
  // The demo plant at 300x: the pump's 1 Hz gives five minutes of history a second.
  engine = await createEngine({
    dbPath: join(dir, 'h.db'),
    simSpeed: 300,
    modelsDir: modelsDir(),
    userModelsDir: userModels,
  })
})
afterAll(async () => {
  await engine?.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('history and model channels on a running engine', () => {
  it('pins an annotation to P-101 and lists it for that asset only', async () => {
    const { from, to } = await span(200)
    const t = from + (to - from) / 2
    const { annotation } = await call<{ annotation: Annotation }>('history.annotate', {
      assetId: 'P-101',
      t,
      text: 'Replaced the coupling',
      tags: ['Vibration_mm_s'],
    })
    expect(annotation).toMatchObject({ assetId: 'P-101', t, text: 'Replaced the coupling', by: 'local' })
    const listed = await call<{ annotations: Annotation[] }>('history.annotations', {
      assetId: 'P-101',
      from,
      to,
    })
    expect(listed.annotations).toEqual([annotation])
    const outside = await call<{ annotations: Annotation[] }>('history.annotations', {
      assetId: 'P-101',
      from: to,
      to: to + 1000,
    })
    expect(outside.annotations).toEqual([])
    const r = await engine.dispatch('history.annotate', { assetId: 'NOPE', t, text: 'x' })
    expect(r.ok ? null : r.error.code).toBe('not-found')
  })

  it("answers the model's score history decimated to the points asked for", async () => {
    const { from, to } = await span(400)
    const { series } = await call<{ series: ScoreHistory[] }>('history.scores', {
      assetId: 'P-101',
      from,
      to,
      maxPoints: 50,
    })
    expect(series.map((s) => s.modelId)).toEqual(['pump-ae'])
    expect(series[0]!.t.length).toBeLessThanOrEqual(50)
    expect(series[0]!.raw).toBe(false)
  })

  it('fits a detector on stored history into the user models folder and scores P-101 with it at once', async () => {
    const { from, to } = await span(300)
    const r = await call<FitResult>('models.fit', { assetId: 'P-101', from, to, id: 'p101-baseline' })
    expect(r.dir).toBe(join(userModels, 'p101-baseline'))
    expect(r.card.inputs.tags.length).toBeGreaterThanOrEqual(8)
    expect(r.active).toBe(true)
    expect(r.message).toMatch(/scoring P-101 from now on/)
    const after = loadModels(modelsDir(), userModels)
    expect(after.errors.filter((e) => e.folder.includes('p101-baseline'))).toEqual([])
    expect(after.models.map((m) => m.card.id)).toEqual(expect.arrayContaining(['p101-baseline', 'pump-ae']))
    const again = await engine.dispatch('models.fit', { assetId: 'P-101', from, to, id: 'p101-baseline' })
    // Served at once, so the id is now a loaded model's.
    expect(again.ok ? '' : again.error.message).toMatch(/id "p101-baseline" is taken by a loaded model/)
  })

  it('sums the contributions of the stored windows per sensor', async () => {
    const { from, to } = await span(400)
    const { models } = await call<{ models: ContributionSummary[] }>('models.contributions', {
      assetId: 'P-101',
      from,
      to,
    })
    // The detector fitted above scores P-101 too, from its fit on.
    const ae = models.find((m) => m.modelId === 'pump-ae')!
    expect(ae.windows).toBeGreaterThan(0)
    expect(ae.perTag).toHaveLength(10)
  })

  it('reports memory and the samples each asset sent in its health', async () => {
    const h = await engine.health()
    expect(h.memory!.rss).toBeGreaterThan(h.memory!.heapUsed)
    const p = h.assets!.find((a) => a.assetId === 'P-101')!
    expect(p.samplesIn).toBeGreaterThan(0)
    expect(p.lastSampleAt).toBeGreaterThan(0)
    expect(value<Health>(await engine.dispatch('system.health', {})).assets).toHaveLength(
      engine.plant.assets.length,
    )
  })
})
