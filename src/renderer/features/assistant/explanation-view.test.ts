import { describe, expect, it } from 'vitest'
import type { Contributor } from '../../../shared/assistant-channels.ts'
import { assistantTarget, contributorClass, deviationWidth, sigma } from './explanation-view.ts'

const c = (o: Partial<Contributor>): Contributor => ({
  tag: 't',
  name: 't',
  unit: '',
  share: null,
  normalShare: null,
  value: 1,
  normalMean: 0,
  normalStd: 1,
  z: 0,
  direction: 'normal',
  limit: null,
  ...o,
})

describe('assistant view helpers', () => {
  it('reads the asset and the whole alarm id from the route', () => {
    expect(assistantTarget(['P-101', 'P-101', 'Bearing_Temperature_C', 'HH'])).toEqual({
      assetId: 'P-101',
      alarmId: 'P-101/Bearing_Temperature_C/HH',
    })
    expect(assistantTarget(['P-101'])).toEqual({ assetId: 'P-101', alarmId: null })
    expect(assistantTarget([])).toEqual({ assetId: null, alarmId: null })
  })

  it('marks only what is abnormal', () => {
    expect(contributorClass(c({ z: 1 }))).toBe('')
    expect(contributorClass(c({ z: 2.5, direction: 'high' }))).toBe('moved')
    expect(contributorClass(c({ z: 3.2, direction: 'high' }))).toBe('abnormal')
    expect(
      contributorClass(c({ z: 2.1, direction: 'high', value: 90, limit: { name: 'HH', value: 85 } })),
    ).toBe('abnormal')
  })

  it('draws deviation bars to 10 sigma and writes sigma with its sign', () => {
    expect(deviationWidth(5)).toBe(50)
    expect(deviationWidth(-25)).toBe(100)
    expect(deviationWidth(null)).toBe(0)
    expect(sigma(-2.04)).toBe('−2.0 σ')
  })
})
