import { describe, expect, it } from 'vitest'
import type { MaintenanceEvent } from '../../shared/alarms.ts'
import { similarEvents } from './similar.ts'

const wo = (id: number, tag: string, openedAt: number, notes: string | null): MaintenanceEvent => ({
  id,
  workOrder: `WO-${id}`,
  openedAt,
  assetId: 'P-101',
  tag,
  cause: `P-101/${tag}`,
  severity: 'CRITICAL',
  message: `${tag} critical`,
  value: 90,
  score: 2,
  cost: 1,
  currency: 'INR',
  status: notes ? 'resolved' : 'open',
  resolvedAt: notes ? openedAt + 100 : null,
  resolvedBy: notes ? 'eng' : null,
  notes,
})

describe('similar past events', () => {
  it('keeps events sharing the lead sensor (or two key sensors), before the finding, newest first, with notes', () => {
    const out = similarEvents({
      keys: ['Bearing_Temperature_C', 'Vibration_mm_s'],
      before: 10_000,
      maintenance: [
        wo(1, 'Bearing_Temperature_C', 1000, 'regreased the bearing'),
        wo(2, 'Suction_Pressure_bar', 2000, null),
        wo(3, 'Bearing_Temperature_C', 20_000, null), // the finding's own work order
      ],
      journal: [
        {
          t: 3000,
          alarmId: 'P-101/Vibration_mm_s/HH',
          action: 'activate',
          actor: 'system',
          from: 'normal',
          to: 'unack',
          value: 12,
        },
        {
          t: 3500,
          alarmId: 'P-101/Vibration_mm_s/HH',
          action: 'comment',
          actor: 'op',
          from: 'unack',
          to: 'unack',
          note: 'coupling loose',
          value: null,
        },
        {
          t: 4000,
          alarmId: 'P-101/Vibration_mm_s/HH',
          action: 'clear',
          actor: 'system',
          from: 'unack',
          to: 'rtn-unack',
          value: 9,
        },
        {
          t: 5000,
          alarmId: 'P-101/Flow_Rate_L_min/L',
          action: 'activate',
          actor: 'system',
          from: 'normal',
          to: 'unack',
          value: 1,
        },
      ],
      episodes: [
        {
          from: 6000,
          to: 7000,
          windows: 40,
          top: ['Vibration_mm_s', 'Bearing_Temperature_C', 'Motor_Current_A'],
        },
        {
          from: 8000,
          to: 9000,
          windows: 40,
          top: ['Suction_Pressure_bar', 'Flow_Rate_L_min', 'Vibration_mm_s'],
        },
      ],
    })
    expect(out.map((e) => [e.kind, e.at])).toEqual([
      ['anomaly', 6000],
      ['alarm', 3000],
      ['maintenance', 1000],
    ])
    expect(out[1]!.notes).toBe('coupling loose')
    expect(out[1]!.until).toBe(4000)
    expect(out[2]!.notes).toBe('regreased the bearing')
    expect(out[0]!.tags).toEqual(['Bearing_Temperature_C', 'Vibration_mm_s'])
  })
})

describe('comments on past alarms', () => {
  it('go with the activation they followed, or the first one when the clocks disagree', () => {
    const row = (t: number, action: string, note?: string) => ({
      t,
      alarmId: 'P-101/Vibration_mm_s/HH',
      action,
      actor: 'x',
      from: null,
      to: null,
      value: null,
      ...(note ? { note } : {}),
    })
    const out = similarEvents({
      keys: ['Vibration_mm_s'],
      before: 100_000,
      maintenance: [],
      episodes: [],
      journal: [
        row(10_000, 'activate'),
        row(20_000, 'activate'),
        row(25_000, 'comment', 'second'),
        row(500, 'comment', 'early'),
      ],
    })
    expect(out.map((e) => [e.at, e.notes])).toEqual([
      [20_000, 'second'],
      [10_000, 'early'],
    ])
  })
})
