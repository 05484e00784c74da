import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AlarmView } from '../../shared/alarms.ts'
import type { Explanation } from '../../shared/assistant-channels.ts'
import type { Result } from '../../shared/errors.ts'
import type { LiveMessage } from '../../shared/samples.ts'
import { createEngine, type RunningEngine } from '../engine/engine.ts'

/*
 * The Assistant on the real engine: the demo plant's simulator at 300x, the shipped pump
 * autoencoder, the SQLite store. Bearing wear is injected into P-101 and the explanation must
 * find it from the stored data alone.
 */

const dir = mkdtempSync(join(tmpdir(), 'vigil-assistant-'))
let engine: RunningEngine
let anomalous = 0
let windows = 0

const value = <T>(r: Result<unknown>) => {
  if (!r.ok) throw new Error(r.error.message)
  return r.value as T
}
async function until(pred: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms
  while (!pred()) {
    if (Date.now() > end) throw new Error('condition not reached in time')
    await new Promise((r) => setTimeout(r, 100))
  }
}

beforeAll(async () => {
  engine = await createEngine({
    dbPath: join(dir, 'a.db'),
    simSpeed: 300,
    userModelsDir: join(dir, 'models'),
  })
  engine.subscribe((m: LiveMessage) => {
    if (m.topic !== 'scores' || m.batch.assetId !== 'P-101') return
    windows += m.batch.t.length
    for (const a of m.batch.anomaly) anomalous += a
  })
})
afterAll(async () => {
  await engine?.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('assistant.explain on the running demo plant', () => {
  it('explains normal running as normal', async () => {
    // Half an hour of simulated normal running gives the tags and the score their normal.
    await until(() => windows >= 1800, 90_000)
    const e = value<Explanation>(await engine.dispatch('assistant.explain', { assetId: 'P-101' }))
    expect(e.modelId).toBe('pump-ae')
    expect(e.buildup.score).not.toBeNull()
    expect(e.buildup.score!).toBeLessThan(e.buildup.threshold!)
    expect(e.contributors).toHaveLength(10)
    // Nothing far from normal: at most one tag past 2 sigma by chance.
    expect(e.contributors.filter((c) => c.direction !== 'normal').length).toBeLessThanOrEqual(1)
  })

  it('names the bearing sensors, how long it has been building and the bearing causes under bearing wear', async () => {
    value(await engine.dispatch('sim.inject', { assetId: 'P-101', fault: 'bearing_wear', rampS: 600 }))
    const start = anomalous
    // Vibration answers within a minute; the bearing's temperature takes several (its thermal mass).
    await until(() => anomalous - start >= 600, 120_000)
    const list = value<{ alarms: AlarmView[] }>(await engine.dispatch('alarms.list', { assetId: 'P-101' }))
    const alarm = list.alarms.find((a) => a.kind === 'model') ?? list.alarms[0]
    const e = value<Explanation>(await engine.dispatch('assistant.explain', { assetId: 'P-101' }))
    const top = e.contributors.slice(0, 2).map((c) => c.tag)
    console.log(`bearing wear: ${e.summary.join(' ')}`)
    expect(top.some((t) => ['Bearing_Temperature_C', 'Vibration_mm_s'].includes(t))).toBe(true)
    const bearing = e.contributors.find((c) => c.tag === 'Bearing_Temperature_C')!
    expect(bearing.direction).toBe('high')
    expect(bearing.z!).toBeGreaterThan(2)
    expect(e.buildup.anomalousSince).not.toBeNull()
    expect(e.buildup.risingSince!).toBeLessThanOrEqual(e.buildup.anomalousSince!)
    expect(e.subject.at).toBeGreaterThan(e.buildup.anomalousSince!)
    expect(['lubrication', 'bearing-wear', 'misalignment']).toContain(e.causes[0]!.id)
    expect(e.summary.join(' ')).toMatch(/ANOMALY for \d/)

    if (alarm) {
      const byAlarm = value<Explanation>(
        await engine.dispatch('assistant.explain', { assetId: 'P-101', alarmId: alarm.id }),
      )
      expect(byAlarm.subject.kind).toBe('alarm')
      expect(byAlarm.subject.alarmId).toBe(alarm.id)
    }
  })

  it('finds the first episode, its alarm and the comment written on it when bearing wear comes back', async () => {
    const list = value<{ alarms: AlarmView[] }>(await engine.dispatch('alarms.list', { assetId: 'P-101' }))
    const vib = list.alarms.find((a) => a.tag === 'Vibration_mm_s')
    expect(vib).toBeDefined()
    value(
      await engine.dispatch('alarms.comment', { id: vib!.id, text: 'coupling bolts found loose, tightened' }),
    )
    value(await engine.dispatch('sim.clear', { assetId: 'P-101' }))
    // Back to normal long enough for the episode to end and the limit alarms to clear.
    const before = windows
    await until(() => windows - before >= 900, 120_000)
    const again = anomalous
    value(await engine.dispatch('sim.inject', { assetId: 'P-101', fault: 'bearing_wear', rampS: 0 }))
    await until(() => anomalous - again >= 120, 120_000)
    const e = value<Explanation>(await engine.dispatch('assistant.explain', { assetId: 'P-101' }))
    const kinds = e.similar.map((x) => x.kind)
    console.log(`similar: ${e.similar.map((x) => `${x.kind} ${x.title} ${x.notes ?? ''}`).join(' | ')}`)
    expect(kinds).toContain('anomaly')
    expect(kinds).toContain('alarm')
    expect(e.similar.some((x) => x.notes?.includes('coupling bolts'))).toBe(true)
    expect(e.similar.every((x) => x.at < (e.buildup.risingSince ?? e.subject.at))).toBe(true)
    expect(e.summary.join(' ')).toMatch(/Seen before: \d+ similar event/)
  }, 240_000)

  it('ranks sensors by their distance from normal on an asset no window detector scores', async () => {
    // CC-1's caster-defect predicts per cast: it has no per-window contributions to explain with.
    const e = value<Explanation>(await engine.dispatch('assistant.explain', { assetId: 'CC-1' }))
    expect(e.modelId).toBeNull()
    expect(e.contributors.every((c) => c.share === null)).toBe(true)
    expect(e.checklist).toBe('caster.json')
    expect(e.summary[0]).toMatch(/No model scores CC-1/)
  })

  it('refuses an unknown alarm or asset with a message naming it', async () => {
    const r = await engine.dispatch('assistant.explain', { assetId: 'P-101', alarmId: 'P-101/nope' })
    expect(r.ok).toBe(false)
    expect(!r.ok && r.error.message).toMatch(/no alarm "P-101\/nope"/)
    const q = await engine.dispatch('assistant.explain', { assetId: 'X-9' })
    expect(!q.ok && q.error.code).toBe('not-found')
    const bad = await engine.dispatch('assistant.explain', { assetId: 'P-101', at: 'soon' })
    expect(!bad.ok && bad.error.message).toMatch(/assistant\.explain: at/)
  })
})
