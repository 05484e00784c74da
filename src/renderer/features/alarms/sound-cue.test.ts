import { describe, expect, it } from 'vitest'
import type { AlarmView } from '../../../shared/alarms.ts'
import { soundCue, tones } from './sound-cue.ts'

const alarm = (id: string, o: Partial<AlarmView>): AlarmView => ({
  id,
  assetId: 'P-101',
  kind: 'HH',
  priority: 'medium',
  state: 'unack',
  message: id,
  activeSince: 1000,
  changedAt: 1000,
  value: null,
  limit: null,
  firstOut: false,
  chattering: false,
  shelved: null,
  outOfService: null,
  lastAck: null,
  ...o,
})

describe('alarm sound cue', () => {
  it('sounds the most urgent of the newly activated alarms', () => {
    const got = soundCue({}, [alarm('a', { priority: 'low' }), alarm('b', { priority: 'high' })])
    expect(got).toBe('high')
  })

  it('stays silent for an alarm already waiting, an acknowledgement or a return to normal', () => {
    const waiting = alarm('a', { priority: 'critical' })
    expect(soundCue({ a: waiting }, [{ ...waiting, changedAt: 2000 }])).toBeNull()
    expect(soundCue({ a: waiting }, [{ ...waiting, state: 'acked' }])).toBeNull()
    expect(soundCue({ a: waiting }, [{ ...waiting, state: 'rtn-unack' }])).toBeNull()
  })

  it('sounds again when a cleared alarm activates anew', () => {
    const old = alarm('a', { priority: 'critical', state: 'acked' })
    expect(soundCue({ a: old }, [alarm('a', { priority: 'critical', activeSince: 5000 })])).toBe('critical')
  })

  it('gives more urgent priorities higher and more beeps', () => {
    expect(tones.critical.hz).toBeGreaterThan(tones.high.hz)
    expect(tones.high.beeps).toBeGreaterThan(tones.medium.beeps)
  })
})
