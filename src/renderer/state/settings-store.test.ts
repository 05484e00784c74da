import { describe, expect, it } from 'vitest'
import { defaults, parseSettings } from './settings-store.ts'

describe('display settings', () => {
  it('starts with the office theme and the alarm sound off', () => {
    expect(parseSettings(null)).toEqual({ theme: 'office', alarmSound: false })
    expect(defaults.alarmSound).toBe(false)
  })

  it('keeps valid saved fields and drops the rest', () => {
    expect(parseSettings('{"theme":"control-room","alarmSound":true}')).toEqual({
      theme: 'control-room',
      alarmSound: true,
    })
    expect(parseSettings('{"theme":"neon","alarmSound":"yes"}')).toEqual(defaults)
    expect(parseSettings('not json')).toEqual(defaults)
  })
})
