import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Result } from '../../../shared/errors.ts'
import type { SetpointInfo } from '../../../shared/setpoints.ts'
import { createEngine, type RunningEngine } from '../../engine/engine.ts'
import { demoPlantPath } from '../../paths.ts'
import { loadPlantConfig } from '../../engine/plant-config.ts'

const dir = mkdtempSync(join(tmpdir(), 'vigil-setpoint-'))
let engine: RunningEngine

beforeAll(async () => {
  mkdirSync(join(dir, 'models'))
  const demo = loadPlantConfig(demoPlantPath())
  const assets = demo.assets.map((a) => ({ ...a, models: [] }))
  engine = await createEngine({
    config: { ...demo, assets },
    dbPath: join(dir, 'sp.db'),
    modelsDir: join(dir, 'models'),
  })
})
afterAll(async () => {
  await engine?.stop()
  rmSync(dir, { recursive: true, force: true })
})
const setpoints = (r: Result<unknown>) => {
  if (!r.ok) throw new Error(r.error.message)
  return (r.value as { setpoints: SetpointInfo[] }).setpoints
}

describe('sim.setpoint on a running engine', () => {
  it('lists, sets and releases the compressor speed and guide vanes', async () => {
    const listed = setpoints(await engine.dispatch('sim.setpoint', { assetId: 'C-201' }))
    expect(listed.map((p) => [p.tag, p.unit, p.held])).toEqual([
      ['Shaft_Speed_rpm', 'rpm', false],
      ['IGV_Position_pct', '%', false],
    ])
    const set = setpoints(
      await engine.dispatch('sim.setpoint', { assetId: 'C-201', tag: 'IGV_Position_pct', value: 75 }),
    )
    expect(set[1]).toMatchObject({ value: 75, held: true })
    const released = setpoints(
      await engine.dispatch('sim.setpoint', { assetId: 'C-201', tag: 'IGV_Position_pct', value: null }),
    )
    expect(released[1]!.held).toBe(false)
  })

  it('refuses a value out of range, a value without its tag, and an asset without setpoints, saying why', async () => {
    const far = await engine.dispatch('sim.setpoint', {
      assetId: 'C-201',
      tag: 'Shaft_Speed_rpm',
      value: 99_999,
    })
    expect(!far.ok && far.error.message).toMatch(/outside 12600 to 14500 rpm/)
    const untagged = await engine.dispatch('sim.setpoint', { assetId: 'C-201', value: 3 })
    expect(!untagged.ok && untagged.error.message).toMatch(/tag: a value needs the tag/)
    const pump = await engine.dispatch('sim.setpoint', { assetId: 'P-101' })
    expect(!pump.ok && pump.error.message).toMatch(/P-101" takes no setpoints.*never writes to a real plant/)
    const none = await engine.dispatch('sim.setpoint', { assetId: 'X-9' })
    expect(!none.ok && none.error.code).toBe('not-found')
  })

  it('injects the caster sticker through sim.inject, and refuses the pump a compressor fault', async () => {
    const r = await engine.dispatch('sim.inject', { assetId: 'CC-1', fault: 'sticker' })
    expect(r.ok).toBe(true)
    const bad = await engine.dispatch('sim.inject', { assetId: 'P-101', fault: 'surge' })
    expect(!bad.ok && bad.error.message).toMatch(/pump simulator has no fault "surge"/)
  })
})
