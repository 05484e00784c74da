import { describe, expect, it } from 'vitest'
import { groupByUnit } from './unit-groups.ts'

const tag = (id: string, unit: string, name?: string) => ({ id, unit, name, min: 0, max: 1 })

describe('groupByUnit', () => {
  it('puts tags sharing a unit on one chart, in first-seen order, titled by their common word', () => {
    const groups = groupByUnit([
      tag('rpm', 'rpm', 'Motor speed'),
      tag('tb', '°C', 'Bearing temperature'),
      tag('p1', 'bar', 'Oil pressure'),
      tag('tc', '°C', 'Casing temperature'),
      tag('p2', 'bar', 'Suction pressure'),
    ])
    expect(groups).toEqual([
      { unit: 'rpm', title: 'Motor speed', indexes: [0] },
      { unit: '°C', title: 'Temperature', indexes: [1, 3] },
      { unit: 'bar', title: 'Pressure', indexes: [2, 4] },
    ])
  })

  it('falls back to the unit when the names share no last word, and to the id when a tag has no name', () => {
    expect(groupByUnit([tag('a', 'A', 'Motor current'), tag('b', 'A')])).toEqual([
      { unit: 'A', title: 'A', indexes: [0, 1] },
    ])
    expect(groupByUnit([tag('Flow_Rate', 'L/min')])[0]!.title).toBe('Flow_Rate')
  })
})
