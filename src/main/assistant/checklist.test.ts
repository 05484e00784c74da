import { readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { Contributor } from '../../shared/assistant-channels.ts'
import { checklistsDir } from '../paths.ts'
import { loadChecklist, parseChecklist, rankCauses } from './checklist.ts'

const c = (tag: string, direction: Contributor['direction'], share: number | null = null): Contributor => ({
  tag,
  name: tag,
  unit: '',
  share,
  normalShare: share === null ? null : 0.1,
  value: 1,
  normalMean: 0,
  normalStd: 1,
  z: direction === 'high' ? 5 : direction === 'low' ? -5 : 0,
  direction,
  limit: null,
})

describe('asset-class checklists', () => {
  it('ships a valid checklist for pump, compressor and caster', () => {
    const files = readdirSync(checklistsDir()).sort()
    expect(files).toEqual(['caster.json', 'compressor.json', 'pump.json'])
    for (const cls of ['pump', 'compressor', 'caster']) {
      const got = loadChecklist(checklistsDir(), cls)
      expect(got?.list.class).toBe(cls)
      expect(got!.list.causes.length).toBeGreaterThanOrEqual(5)
    }
    expect(loadChecklist(checklistsDir(), 'other')).toBeNull()
  })

  it('names the file and the field of a bad checklist', () => {
    const bad = JSON.stringify({
      class: 'pump',
      title: 'x',
      causes: [{ id: 'a', cause: 'abc', signs: [{ tag: '(', direction: 'up' }], checks: ['look'] }],
    })
    expect(() => parseChecklist(bad, '/x/pump.json')).toThrow(
      /\/x\/pump\.json: causes\[0\]\.signs\[0\]\.direction/,
    )
    expect(() => parseChecklist('{', '/x/pump.json')).toThrow(/\/x\/pump\.json: not JSON/)
    const badRe = bad.replace('"up"', '"high"')
    expect(() => parseChecklist(badRe, '/x/pump.json')).toThrow(
      /causes\[0\]\.signs\[0\]\.tag: not a regular expression/,
    )
  })

  it('ranks bearing causes first when bearing temperature and vibration rise and oil pressure falls', () => {
    const pump = loadChecklist(checklistsDir(), 'pump')!.list
    const causes = rankCauses(pump, [
      c('Bearing_Temperature_C', 'high', 0.4),
      c('Vibration_mm_s', 'high', 0.3),
      c('Oil_Pressure_bar', 'low', 0.1),
      c('Flow_Rate_L_min', 'normal', 0.1),
    ])
    expect(causes[0]!.id).toBe('lubrication')
    expect(causes[0]!.match).toBe(1)
    expect(causes[0]!.matched).toEqual([
      'Bearing_Temperature_C high',
      'Vibration_mm_s high',
      'Oil_Pressure_bar low',
    ])
    expect(causes.map((x) => x.id)).not.toContain('dead-head')
    // The always-check comes last, whatever matched.
    expect(causes[causes.length - 1]!.id).toBe('instrument')
  })

  it('ranks cavitation first when suction pressure falls and flow wobbles', () => {
    const pump = loadChecklist(checklistsDir(), 'pump')!.list
    const causes = rankCauses(pump, [
      c('Suction_Pressure_bar', 'low', 0.4),
      c('Flow_Rate_L_min', 'normal', 0.3), // stands out in the model's error without a 2-sigma move
      c('Vibration_mm_s', 'high', 0.2),
    ])
    expect(causes[0]!.id).toBe('cavitation')
    expect(causes[0]!.matched).toContain('Flow_Rate_L_min stands out')
  })
})
