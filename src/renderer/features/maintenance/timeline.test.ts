import { describe, expect, it } from 'vitest'
import type { MaintenanceEvent } from '../../../shared/alarms.ts'
import { formatCost, timeline, totals } from './timeline.ts'

const ev = (id: number, openedAt: number, status: 'open' | 'resolved', cost: number): MaintenanceEvent => ({
  id,
  workOrder: `WO-${id}`,
  openedAt,
  assetId: 'P-101',
  tag: 'Bearing_Temperature_C',
  cause: `P-101/x${id}`,
  severity: 'CRITICAL',
  message: '',
  value: null,
  score: null,
  cost,
  currency: 'INR',
  status,
  resolvedAt: null,
  resolvedBy: null,
  notes: null,
})

describe('the maintenance timeline', () => {
  it('writes rupees with Indian digit grouping and other currencies by their code', () => {
    expect(formatCost(67_500, 'INR')).toBe('₹67,500')
    expect(formatCost(12_345_000, 'INR')).toBe('₹1,23,45,000')
    expect(formatCost(1800, 'USD')).toMatch(/1,800/)
  })

  it('groups events by day, newest day and newest event first', () => {
    const d1 = new Date(2025, 6, 1, 9).getTime()
    const d2 = new Date(2025, 6, 2, 9).getTime()
    const days = timeline([ev(1, d1, 'resolved', 1), ev(2, d2, 'open', 1), ev(3, d2 + 60_000, 'open', 1)])
    expect(days.map((d) => [d.day, d.events.map((e) => e.id)])).toEqual([
      ['2025-07-02', [3, 2]],
      ['2025-07-01', [1]],
    ])
  })

  it('sums what is open and what was spent', () => {
    expect(
      totals([ev(1, 0, 'open', 67_500), ev(2, 0, 'open', 45_000), ev(3, 0, 'resolved', 45_000)]),
    ).toEqual({
      open: 2,
      openCost: 112_500,
      resolvedCost: 45_000,
    })
  })
})
