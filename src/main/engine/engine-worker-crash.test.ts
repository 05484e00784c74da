import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AlarmView } from '../../shared/alarms.ts'
import type { Health } from '../../shared/contract.ts'
import type { SourceStatus } from '../../shared/samples.ts'
import { demoPlantPath } from '../paths.ts'
import { createEngine, type RunningEngine } from './engine.ts'
import { loadPlantConfig } from './plant-config.ts'

/*
 * The whole engine on the demo plant's pump alone (one asset, so the thread that dies is
 * P-101's), its pipeline thread wrapped by
 * pipeline/faulty.worker.fixture.ts so the test can make it die mid-batch.
 */
const dir = mkdtempSync(join(tmpdir(), 'vigil-crash-'))
process.env.VIGIL_TEST_FAULTS = dir
const statuses: SourceStatus[] = []
/** Every published change of the pump's pipeline alarm, in order. */
const pipelineAlarm: AlarmView[] = []
let windows = 0
let engine: RunningEngine

async function until(pred: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms
  while (!pred()) {
    if (Date.now() > end) throw new Error('condition not reached in time')
    await new Promise((r) => setTimeout(r, 25))
  }
}
const health = async () => {
  const r = await engine.dispatch('system.health', {})
  if (!r.ok) throw new Error(r.error.message)
  return r.value as Health
}
const pipelineStates = () => statuses.filter((s) => s.kind === 'pipeline').map((s) => s.state)

beforeAll(async () => {
  const demo = loadPlantConfig(demoPlantPath())
  engine = await createEngine({
    config: { ...demo, assets: demo.assets.slice(0, 1) },
    dbPath: join(dir, 'crash.db'),
    simSpeed: 60,
    pipelineWorkerFile: new URL('../pipeline/faulty.worker.fixture.ts', import.meta.url),
  })
  engine.subscribe((m) => {
    if (m.topic === 'status') statuses.push(m.status)
    if (m.topic === 'scores') windows += m.batch.t.length
    if (m.topic === 'alarms') pipelineAlarm.push(...m.alarms.filter((a) => a.id === 'P-101/pipeline'))
  })
  await until(() => windows > 30)
})
afterAll(async () => {
  await engine?.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('engine when a pipeline thread dies', () => {
  it('says failed then running, retries the batch, counts the restart and goes on scoring', async () => {
    writeFileSync(join(dir, 'crash'), '1')
    await until(() => pipelineStates().join() === 'failed,running')
    const failed = statuses.find((s) => s.kind === 'pipeline')!
    expect(failed.assetId).toBe('P-101')
    expect(failed.message).toMatch(/pipeline thread 0 died \(worker exited with code: 70\)/)
    const after = windows
    await until(() => windows > after + 30)
    const h = await health()
    expect(h).toMatchObject({ workerRestarts: 1, batchesRetried: 1, batchesLost: 0, dropped: 0 })
    // The asset's source status is still the simulator's, not the pipeline's.
    expect(h.sources.find((s) => s.assetId === 'P-101')!.kind).toBe('simulator')
  })

  it('raises a high-priority system alarm for the dead thread, which returns to normal unacknowledged', async () => {
    // The first test's crash: the alarm went active with the thread's death, then returned.
    expect(pipelineAlarm.map((a) => a.state)).toEqual(['unack', 'rtn-unack'])
    const [raised] = pipelineAlarm
    expect(raised).toMatchObject({ kind: 'pipeline', priority: 'high', assetId: 'P-101' })
    expect(raised!.message).toMatch(
      /^P-101 processing failed: pipeline thread 0 died \(worker exited with code: 70\)/,
    )
    const r = await engine.dispatch('alarms.list', { assetId: 'P-101', includeNormal: true })
    if (!r.ok) throw new Error(r.error.message)
    const listed = (r.value as { alarms: AlarmView[] }).alarms.find((a) => a.id === 'P-101/pipeline')
    expect(listed?.state).toBe('rtn-unack')
    // The source's own alarm stayed quiet: the simulator never stopped.
    expect((r.value as { alarms: AlarmView[] }).alarms.find((a) => a.id === 'P-101/source')?.state).toBe(
      'normal',
    )
  })

  it('counts a batch lost when the new thread dies too, says so, and goes on scoring', async () => {
    writeFileSync(join(dir, 'crash'), '2')
    const since = statuses.length
    await until(() => statuses.slice(since).some((s) => s.kind === 'pipeline' && s.state === 'running'))
    const seen = statuses.slice(since).filter((s) => s.kind === 'pipeline')
    // Each death says failed (the lost batch once more, with why); the next good batch says running.
    expect(seen.map((s) => s.state)).toEqual(['failed', 'failed', 'failed', 'running'])
    expect(seen.map((s) => s.message).join('\n')).toMatch(/batch of \d+ samples for "P-101" was lost/)
    const h = await health()
    expect(h).toMatchObject({ workerRestarts: 3, batchesRetried: 2, batchesLost: 1 })
    expect(h.dropped).toBeGreaterThan(0)
    const after = windows
    await until(() => windows > after + 30)
  })
})
