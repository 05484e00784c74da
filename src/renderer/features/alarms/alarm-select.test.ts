import { describe, expect, it } from 'vitest'
import type { AlarmView } from '../../../shared/alarms.ts'
import { alarmClass, bannerOf, defaultFilter, mergeAlarms, selectAlarms } from './alarm-select.ts'

const alarm = (id: string, over: Partial<AlarmView>): AlarmView => ({
  id,
  assetId: 'P-101',
  kind: 'HH',
  priority: 'medium',
  state: 'normal',
  message: id,
  activeSince: null,
  changedAt: 0,
  value: null,
  limit: null,
  firstOut: false,
  chattering: false,
  shelved: null,
  outOfService: null,
  lastAck: null,
  ...over,
})

const all = Object.fromEntries(
  [
    alarm('acked-critical', { priority: 'critical', state: 'acked', changedAt: 5 }),
    alarm('unack-low', { priority: 'low', state: 'unack', changedAt: 1 }),
    alarm('unack-critical-old', { priority: 'critical', state: 'unack', changedAt: 2 }),
    alarm('unack-critical-new', { priority: 'critical', state: 'unack', changedAt: 3 }),
    alarm('rtn', { priority: 'high', state: 'rtn-unack', changedAt: 4 }),
    alarm('shelved', { priority: 'critical', state: 'shelved' }),
    alarm('quiet', {}),
    alarm('other-asset', { assetId: 'C-201', state: 'unack', priority: 'high' }),
  ].map((a) => [a.id, a]),
)

describe('the alarm list', () => {
  it('puts unacknowledged alarms first, then by priority, newest first, and hides shelved and normal ones', () => {
    expect(selectAlarms(all, defaultFilter).map((a) => a.id)).toEqual([
      'unack-critical-new',
      'unack-critical-old',
      'other-asset',
      'unack-low',
      'rtn',
      'acked-critical',
    ])
  })

  it('filters by priority, state and asset', () => {
    const ids = (f: Partial<typeof defaultFilter>) =>
      selectAlarms(all, { ...defaultFilter, ...f }).map((a) => a.id)
    expect(ids({ priorities: ['high'] })).toEqual(['other-asset', 'rtn'])
    expect(ids({ state: 'shelved' })).toEqual(['shelved'])
    expect(ids({ assetId: 'C-201' })).toEqual(['other-asset'])
    expect(ids({ state: 'all' })).toHaveLength(8)
  })

  it('colours only alarms in alarm, by priority, and an acknowledged one less loudly', () => {
    expect(alarmClass(all['unack-low']!)).toBe('alarm-low')
    expect(alarmClass(all['acked-critical']!)).toBe('alarm-critical alarm-acked')
    expect(alarmClass(all.shelved!)).toBe('alarm-quiet')
    expect(alarmClass(all.quiet!)).toBe('alarm-quiet')
  })

  it('banners the most urgent unacknowledged alarm with the count waiting', () => {
    const b = bannerOf(all)
    expect([b.unacked, b.top?.id]).toEqual([5, 'unack-critical-new'])
    expect(bannerOf({ quiet: all.quiet! }).top).toBe(null)
  })

  it('merges a live change without touching the others', () => {
    const next = mergeAlarms(all, [{ ...all.rtn!, state: 'normal' }])
    expect(next.rtn!.state).toBe('normal')
    expect(next.quiet).toBe(all.quiet)
    expect(mergeAlarms(all, [])).toBe(all)
  })
})
