import { describe, expect, it } from 'vitest'
import { alarmDefs, LOAD_SHED_ALARMS } from './alarm-defs.ts'
import { AlarmSet } from './alarm-set.ts'
import { LoadShedAlarms } from './load-shed-alarms.ts'
import { demoPlant } from './test-kit.ts'

const stage = (n: number) => ({ stage: n, stride: [1, 1, 2, 4, 8, 16, 30][n]!, liveIntervalMs: n ? 500 : 0 })

describe('load-shed system alarms', () => {
  it('raises the live alarm at stage 1, the model alarm from stage 2, and clears each as the stages fall', () => {
    const set = new AlarmSet(alarmDefs(demoPlant()))
    const shed = new LoadShedAlarms(set)
    const view = (id: string) => set.view(set.byId.get(id)!)
    shed.stage(stage(0), 1000)
    expect(view(LOAD_SHED_ALARMS.live).state).toBe('normal')
    shed.stage(stage(1), 2000)
    expect(view(LOAD_SHED_ALARMS.live)).toMatchObject({ state: 'unack', priority: 'low', assetId: 'system' })
    expect(view(LOAD_SHED_ALARMS.live).message).toMatch(/merged and sent every 500 ms/)
    expect(view(LOAD_SHED_ALARMS.models).state).toBe('normal')
    shed.stage(stage(2), 3000)
    shed.stage(stage(3), 4000)
    expect(view(LOAD_SHED_ALARMS.models)).toMatchObject({
      state: 'unack',
      priority: 'high',
      activeSince: 3000,
    })
    expect(view(LOAD_SHED_ALARMS.models).message).toMatch(/only 1 in 2 model windows scored/)
    shed.stage(stage(1), 5000)
    expect(view(LOAD_SHED_ALARMS.models)).toMatchObject({ state: 'rtn-unack', activeSince: null })
    expect(view(LOAD_SHED_ALARMS.live).state).toBe('unack')
    shed.stage(stage(0), 6000)
    expect(view(LOAD_SHED_ALARMS.live)).toMatchObject({ state: 'rtn-unack', activeSince: null })
    // Every raise and clear is in the journal, for the alarm history.
    const actions = set.drain().journal.map((j) => `${j.alarmId.split('/').pop()} ${j.action}`)
    expect(actions).toEqual(['live activate', 'models activate', 'models clear', 'live clear'])
  })
})
