import { describe, expect, it } from 'vitest'
import pumpJson from '../../../../models/pump-ae/model.json' with { type: 'json' }
import { ModelCard } from '../../../shared/model-card.ts'
import { contributionDefinition, flatten, headlineMetrics, tagRows } from './card-facts.ts'

// The shipped pump model's own card: the facts must read from real data.
const pump = ModelCard.parse(pumpJson)

describe('a model card as facts', () => {
  it('flattens nested records to dotted paths, short arrays whole and long ones as a count', () => {
    expect(
      flatten({ a: 1, b: { c: 'x', d: [1, 2] }, e: [1, 2, 3, 4, 5, 6, 7], f: { g: { h: true } } }),
    ).toEqual([
      ['a', '1'],
      ['b.c', 'x'],
      ['b.d', '1, 2'],
      ['e', '7 values'],
      ['f.g.h', 'yes'],
    ])
    expect(flatten({ keep: 1, drop: { x: 1 } }, ['drop'])).toEqual([['keep', '1']])
  })

  it('leads the pump model with its errors and false-alarm rates', () => {
    const head = Object.fromEntries(headlineMetrics(pump))
    expect(head.valMae).toBe('0.02787')
    expect(head['falseAlarmRate (val)']).toBe('0.71 %')
    expect(head['falseAlarmRate (test-normal)']).toBe('1.22 %')
  })

  it('says how contributions are counted: from the card when it says, else by kind', () => {
    expect(contributionDefinition(pump)).toMatch(/inputs.errorBaseline/)
    const pca = { ...pump, kind: 'pca' as const, metrics: {} }
    expect(contributionDefinition(pca)).toMatch(/T²\/T²lim \+ Q\/Qlim/)
    const plain = { ...pump, metrics: {}, inputs: { ...pump.inputs, errorBaseline: undefined } }
    expect(contributionDefinition(plain)).toMatch(/mean absolute reconstruction error/)
  })

  it('does not call a remaining-life, defect or policy model’s output a reconstruction error', () => {
    for (const kind of ['rul', 'defect', 'policy'] as const) {
      const text = contributionDefinition({ ...pump, kind, metrics: {} })
      expect(text).toMatch(/^None: .* is not split by sensor/)
      expect(text).not.toMatch(/reconstruction/)
    }
    const rf = contributionDefinition({ ...pump, kind: 'classifier', metrics: {} })
    expect(rf).toMatch(/middle of its training range/)
    expect(rf).not.toMatch(/reconstruction/)
  })

  it('lists each tag with its scaling range and normal error', () => {
    const rows = tagRows(pump)
    expect(rows).toHaveLength(10)
    expect(rows[0]!.tag).toBe('Motor_RPM')
    expect(rows[0]!.range).toMatch(/^2595\.?\d* … 2981/)
    expect(rows[0]!.normal).toMatch(/^error /)
  })
})
