import { describe, expect, it } from 'vitest'
import type { AdviceDecision } from '../../../shared/optimizer-channels.ts'
import type { TagConfig } from '../../../shared/plant.ts'
import type { SetpointAdvice } from '../../../shared/suggestion.ts'
import type { PredictionPoint } from '../../state/prediction-store.ts'
import {
  adviceSummary,
  decisionFor,
  latestAdvice,
  marginState,
  moveText,
  nowFacts,
  recentAdvice,
} from './advice-view.ts'

const surge = { id: 'Surge_Margin_pct', unit: '%', min: -50, max: 60 } as TagConfig
const margin = (m: number) => ({
  tag: 'Surge_Margin_pct',
  unit: '%',
  value: 10 + m,
  side: 'above' as const,
  limit: 10,
  margin: m,
})
const advice = (at: number, why = 'x'): SetpointAdvice => ({
  assetId: 'C-201',
  modelId: 'compressor-ppo',
  at,
  suggestion: null,
  why,
})

describe('optimizer advice view', () => {
  it('calls a margin at risk under 5% of the span, outside below zero, as the constraint alarm does', () => {
    // Surge margin spans 110 points: 5.5 points are wanted.
    expect(marginState(margin(20), surge)).toBe('ok')
    expect(marginState(margin(5.6), surge)).toBe('ok')
    expect(marginState(margin(5.4), surge)).toBe('at-risk')
    expect(marginState(margin(-0.1), surge)).toBe('outside')
  })

  it('finds the newest advice and lists the recent ones newest first', () => {
    const points: PredictionPoint[] = [
      { t: 1, value: NaN, flagged: false, advice: advice(1) },
      { t: 2, value: NaN, flagged: false },
      { t: 3, value: NaN, flagged: false, advice: advice(3) },
    ]
    expect(latestAdvice(points)!.at).toBe(3)
    expect(recentAdvice(points, 5).map((a) => a.at)).toEqual([3, 1])
    expect(recentAdvice(points, 1).map((a) => a.at)).toEqual([3])
    expect(latestAdvice([])).toBeNull()
  })

  it('takes the last decision on a suggestion, not one on another', () => {
    const d = (t: number, at: number, decision: 'accept' | 'dismiss'): AdviceDecision => ({
      t,
      actor: 'olga',
      role: 'operator',
      assetId: 'C-201',
      modelId: 'compressor-ppo',
      at,
      decision,
      note: null,
    })
    const ds = [d(10, 3, 'accept'), d(20, 3, 'dismiss'), d(30, 4, 'accept')]
    expect(decisionFor(ds, advice(3))!.decision).toBe('dismiss')
    expect(decisionFor(ds, advice(5))).toBeNull()
  })

  it('writes a move with the unit and sensible digits', () => {
    expect(moveText(13950.4, 13700.2, 'rpm')).toBe('13,950 → 13,700 rpm')
    expect(moveText(78.25, 85, '%')).toBe('78.3 → 85.0 %')
  })

  it('sums advice up in one line: the moves, or why none without the boilerplate', () => {
    const none = advice(
      1,
      'No suggestion: C-201 already runs within 1 kW of its best speed and guide vanes for 35.3 kg/s (a suggestion needs 10 kW).',
    )
    expect(adviceSummary(none, (t) => t)).toBe(
      'None: C-201 already runs within 1 kW of its best speed and guide vanes for 35.3 kg/s.',
    )
    const some: SetpointAdvice = {
      ...none,
      suggestion: {
        moves: [{ tag: 'Shaft_Speed_rpm', unit: 'rpm', current: 14040, suggested: 13752, target: 13328 }],
        duty: { tag: 'Mass_Flow_kg_s', unit: 'kg/s', value: 35, changePct: 0 },
        gain: { powerKw: 21, efficiencyPts: 0.13, targetPowerKw: 34 },
        margins: [],
      },
    }
    expect(adviceSummary(some, () => 'Shaft speed')).toBe('Shaft speed 14,040 → 13,752 rpm')
  })

  it('gives the operating point now from the newest values, skipping tags the asset lacks or has no value of', () => {
    const tags = [
      { id: 'Shaft_Speed_rpm', name: 'Shaft speed', unit: 'rpm' },
      { id: 'Power_MW', name: 'Power', unit: 'MW' },
      { id: 'Mass_Flow_kg_s', name: 'Mass flow', unit: 'kg/s' },
    ] as TagConfig[]
    const values = [14040.4, 13.04, NaN]
    expect(
      nowFacts(
        tags,
        tags.map((t) => t.id),
        (k) => values[k]!,
      ),
    ).toEqual([
      { label: 'Shaft speed', text: '14,040 rpm' },
      { label: 'Power', text: '13.0 MW' },
    ])
  })
})
