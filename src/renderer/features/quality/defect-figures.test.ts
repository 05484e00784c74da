import { describe, expect, it } from 'vitest'
import { ModelCard } from '../../../shared/model-card.ts'
import shipped from '../../../../models/caster-defect/model.json' with { type: 'json' }
import { bestOf, castSummary, defectFacts, defectFigures } from './defect-figures.ts'

// The shipped card itself (a renderer test may not read files: the import fence): what the view gets from models.list.
const card = ModelCard.parse(shipped)

describe('defect figures from the caster-defect card', () => {
  it('reads each member and the ensemble, members first, as the card measured them', () => {
    const f = defectFigures(card)
    expect(f.map((x) => x.key)).toEqual(['xgboost', 'lstm', 'ensemble'])
    const raw = card.metrics.ensemble as { rocAuc: number; brier: number; reliability: unknown[] }
    expect(f[2]!.rocAuc).toBe(raw.rocAuc)
    expect(f[2]!.brier).toBe(raw.brier)
    expect(f[2]!.reliability).toHaveLength(raw.reliability.length)
    expect(bestOf(f, 'brier')).toBe(Math.min(...f.map((x) => x.brier)))
    expect(bestOf(f, 'rocAuc')).toBe(Math.max(...f.map((x) => x.rocAuc)))
    const facts = defectFacts(card)
    expect(facts.casts).toBe(card.metrics.testCasts)
    expect(facts.weights).toMatch(/^xgboost \d\.\d\d, lstm \d\.\d\d$/)
  })

  it('names the field of a card it cannot read', () => {
    const broken = structuredClone(card)
    ;(broken.metrics.lstm as Record<string, unknown>).prAuc = 'n/a'
    expect(() => defectFigures(broken)).toThrow(
      'model "caster-defect" model.json metrics.lstm.prAuc: not a number ("n/a")',
    )
  })

  it('lists live casts newest first with the share flagged', () => {
    const s = castSummary([
      { t: 1, value: 0.1, flagged: false, unit: 7 },
      { t: 2, value: 0.9, flagged: true, unit: 8 },
      { t: 3, value: NaN, flagged: false, unit: 9 },
    ])
    expect(s.newestFirst.map((p) => p.unit)).toEqual([8, 7])
    expect(s.flaggedShare).toBe(0.5)
    expect(castSummary([]).flaggedShare).toBeNull()
  })
})
