import { afterEach, describe, expect, it } from 'vitest'
import type { AlarmJournalEntry, AlarmStats, AlarmView } from '../../shared/alarms.ts'
import { Q } from '../../shared/quality.ts'
import { AlarmRig, demoPlant } from './test-kit.ts'

const HH = 'P-101/Bearing_Temperature_C/HH'
const H = 'P-101/Bearing_Temperature_C/H'
let rig: AlarmRig

afterEach(async () => {
  await rig.close()
  rig.remove()
})

const bearing = (x: number) => (tag: string) => (tag === 'Bearing_Temperature_C' ? x : undefined)
const journal = async (alarmId?: string) => {
  await rig.store.flush()
  return (await rig.call<{ entries: AlarmJournalEntry[] }>('alarms.history', { alarmId })).entries.reverse()
}

describe('limit alarms from the pipeline samples', () => {
  it('raises bearing temperature HH only after its 5 s on-delay, first-out, and clears past the deadband', async () => {
    rig = await new AlarmRig().open()
    rig.feed(10)
    rig.feed(3, bearing(86))
    expect(rig.state(HH)).toBe('normal')
    rig.feed(3, bearing(86))
    expect(rig.state(HH)).toBe('unack')
    expect(rig.state(H)).toBe('unack')
    const view = (id: string) => rig.system.set.view(rig.system.set.byId.get(id)!)
    expect(view(HH).firstOut).toBe(true)
    expect(view(H).firstOut).toBe(false)
    expect(view(HH).priority).toBe('critical')
    expect(view(HH).message).toMatch(/Bearing temperature high-high: 86\.0 °C \(limit 85\.0 °C\)/)
    // 84.5 is below the limit but inside the 1.7 C deadband: still in alarm.
    rig.feed(30, bearing(84.5))
    expect(rig.state(HH)).toBe('unack')
    rig.feed(9, bearing(83))
    expect(rig.state(HH)).toBe('unack')
    rig.feed(2, bearing(83))
    expect(rig.state(HH)).toBe('rtn-unack')
    const sent = rig.messages.flatMap((m) => m.alarms).filter((a) => a.id === HH)
    expect(sent.map((a) => a.state)).toEqual(['unack', 'rtn-unack'])
  })

  it('turns a signal dithering at its limit into one alarm with the defaults, a chattering one without them', async () => {
    const dither = (i: number) => (i % 2 ? 85.6 : 84.6)
    rig = await new AlarmRig().open()
    rig.feed(120, (tag, i) => (tag === 'Bearing_Temperature_C' ? dither(i) : undefined))
    const filtered = (await journal(HH)).filter((e) => e.action === 'activate').length
    expect(filtered).toBeLessThanOrEqual(1)
    await rig.close()
    rig.remove()

    rig = await new AlarmRig(
      demoPlant((p) => {
        p.assets[0]!.tags[1]!.alarms = { onDelayS: 0, offDelayS: 0, deadband: 0 }
      }),
    ).open()
    rig.feed(120, (tag, i) => (tag === 'Bearing_Temperature_C' ? dither(i) : undefined))
    const raw = (await journal(HH)).filter((e) => e.action === 'activate').length
    expect(raw).toBeGreaterThan(50)
    expect((await rig.call<AlarmStats>('alarms.stats', {})).chattering).toBeGreaterThanOrEqual(1)
  })

  it('holds limit alarms on bad data and raises a low-priority bad-data alarm instead', async () => {
    rig = await new AlarmRig().open()
    rig.feed(20, bearing(200), (tag) => (tag === 'Bearing_Temperature_C' ? Q.OUT_OF_RANGE : 0))
    expect(rig.state(HH)).toBe('normal')
    const bad = rig.system.set.view(rig.system.set.byId.get('P-101/Bearing_Temperature_C/bad-data')!)
    expect([bad.state, bad.priority]).toEqual(['unack', 'low'])
    expect(bad.message).toMatch(/bad data \(out of range\)/)
  })
})

describe('alarm-management figures', () => {
  it('detects a flood when more than 10 alarms annunciate within 10 minutes, and its end', async () => {
    rig = await new AlarmRig().open()
    const upset: Record<string, number> = {
      Bearing_Temperature_C: 90,
      Vibration_mm_s: 12,
      Motor_Current_A: 100,
      Casing_Temperature_C: 85,
      Oil_Pressure_bar: 0.5,
      Suction_Pressure_bar: 0.2,
    }
    rig.feed(10, (tag) => upset[tag])
    const during = await rig.call<AlarmStats>('alarms.stats', {})
    expect(during.flood.active).toBe(true)
    expect(during.flood.newIn10Min).toBe(12)
    expect(during.standing).toBe(12)
    expect(during.standingByPriority).toMatchObject({ critical: 6, medium: 6 })
    const first = (await rig.call<{ alarms: AlarmView[] }>('alarms.list', {})).alarms.filter(
      (a) => a.firstOut,
    )
    expect(first).toHaveLength(1)
    rig.feed(11 * 60)
    rig.system.tick()
    expect((await rig.call<AlarmStats>('alarms.stats', {})).flood.active).toBe(false)
    const flood = (await journal('*')).map((e) => e.action)
    expect(flood).toEqual(['flood-start', 'flood-end'])
  })

  it('lists alarms needing attention first and filters by priority and state', async () => {
    rig = await new AlarmRig().open()
    rig.feed(10, (tag) => ({ Bearing_Temperature_C: 80, Oil_Pressure_bar: 0.5 })[tag])
    await rig.call('alarms.ack', { ids: ['P-101/Oil_Pressure_bar/L'] })
    const all = (await rig.call<{ alarms: AlarmView[] }>('alarms.list', {})).alarms
    expect(all.map((a) => [a.id, a.state])).toEqual([
      ['P-101/Oil_Pressure_bar/LL', 'unack'],
      [H, 'unack'],
      ['P-101/Oil_Pressure_bar/L', 'acked'],
    ])
    const crit = await rig.call<{ alarms: AlarmView[] }>('alarms.list', { priorities: ['critical'] })
    expect(crit.alarms.map((a) => a.id)).toEqual(['P-101/Oil_Pressure_bar/LL'])
    const acked = await rig.call<{ alarms: AlarmView[] }>('alarms.list', { states: ['acked'] })
    expect(acked.alarms.map((a) => a.id)).toEqual(['P-101/Oil_Pressure_bar/L'])
  })
})

describe('operator actions', () => {
  it('keeps an acknowledgement, with who and the note, across a restart', async () => {
    rig = await new AlarmRig().open()
    rig.feed(10, bearing(90))
    const r = await rig.call<{ acked: string[] }>('alarms.ack', {
      ids: [HH, 'P-101/nope'],
      note: 'called the fitter',
    })
    expect(r.acked).toEqual([HH])
    // No flush here: the ack's answer came after its commit.
    await rig.restart()
    expect(rig.state(HH)).toBe('acked')
    expect(rig.state(H)).toBe('unack')
    const v = rig.system.set.view(rig.system.set.byId.get(HH)!)
    expect(v.lastAck).toMatchObject({ by: 'local', note: 'called the fitter' })
    const acks = (await journal(HH)).filter((e) => e.action === 'ack')
    expect(acks).toHaveLength(1)
    expect(acks[0]).toMatchObject({ actor: 'local', from: 'unack', to: 'acked' })
    // The condition resumes where it was: still hot, still in alarm, no second activation.
    rig.feed(10, bearing(90))
    expect(rig.state(HH)).toBe('acked')
  })

  it('shelves with a reason until its expiry, then the alarm returns by itself', async () => {
    rig = await new AlarmRig().open()
    rig.feed(10, bearing(90))
    const bad = await rig.dispatch('alarms.shelve', { id: HH, reason: '', minutes: 5 })
    expect(!bad.ok && bad.error.message).toMatch(/reason: say why/)
    await rig.call('alarms.shelve', { id: HH, reason: 'thermocouple being replaced', minutes: 1 })
    expect(rig.state(HH)).toBe('shelved')
    expect(
      (await rig.call<{ alarms: AlarmView[] }>('alarms.list', {})).alarms.map((a) => a.id),
    ).not.toContain(HH)
    await rig.restart()
    rig.clock += 59_000
    rig.system.tick()
    expect(rig.state(HH)).toBe('shelved')
    rig.clock += 1_000
    rig.system.tick()
    expect(rig.state(HH)).toBe('unack')
    expect((await journal(HH)).map((e) => e.action)).toEqual(['activate', 'shelve', 'shelve-expired'])
  })

  it('records comments and refuses an ack with nothing to acknowledge, saying why', async () => {
    rig = await new AlarmRig().open()
    await rig.call('alarms.comment', { id: HH, text: 'trip test on Friday' })
    const r = await rig.dispatch('alarms.ack', { ids: [HH] })
    expect(!r.ok && r.error.message).toMatch(/nothing to acknowledge: the alarm is normal/)
    expect((await journal(HH)).map((e) => [e.action, e.note])).toEqual([['comment', 'trip test on Friday']])
  })

  it('takes an alarm out of service and back, which re-annunciates it if still active', async () => {
    rig = await new AlarmRig().open()
    rig.feed(10, bearing(90))
    await rig.call('alarms.ack', { ids: [HH] })
    await rig.call('alarms.setService', { id: HH, inService: false, reason: 'transmitter removed' })
    expect(rig.state(HH)).toBe('out-of-service')
    await rig.call('alarms.setService', { id: HH, inService: true, reason: 'transmitter refitted' })
    expect(rig.state(HH)).toBe('unack')
  })
})

describe('design suppression and source alarms', () => {
  it('suppresses process alarms while the pump is stopped and releases them after the start-up delay', async () => {
    rig = await new AlarmRig(
      demoPlant((p) => {
        p.assets[0]!.alarms = { suppressWhen: { tag: 'Motor_RPM', below: 300, releaseDelayS: 30 } }
      }),
    ).open()
    const stopped = (tag: string) => ({ Motor_RPM: 0, Oil_Pressure_bar: 0.4 })[tag]
    rig.feed(20, stopped)
    expect(rig.state('P-101/Oil_Pressure_bar/LL')).toBe('suppressed')
    expect((await rig.call<AlarmStats>('alarms.stats', {})).suppressed).toBeGreaterThan(5)
    rig.feed(20)
    expect(rig.state('P-101/Oil_Pressure_bar/LL')).toBe('suppressed')
    rig.feed(15)
    expect(rig.state('P-101/Oil_Pressure_bar/LL')).toBe('normal')
  })

  it('raises a source alarm when the data source fails and clears it when it runs again', async () => {
    rig = await new AlarmRig().open()
    rig.system.status({
      assetId: 'P-101',
      kind: 'simulator',
      state: 'failed',
      message: 'broker unreachable',
      at: rig.clock,
    })
    expect(rig.state('P-101/source')).toBe('unack')
    expect(rig.system.set.view(rig.system.set.byId.get('P-101/source')!).message).toMatch(
      /failed: broker unreachable/,
    )
    rig.system.status({ assetId: 'P-101', kind: 'simulator', state: 'running', at: rig.clock + 5000 })
    expect(rig.state('P-101/source')).toBe('rtn-unack')
  })
})
