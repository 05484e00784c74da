import { describe, expect, it } from 'vitest'
import { formatAge, formatRate, sourceRows } from './source-rows.ts'

const now = Date.UTC(2025, 0, 31, 8)

describe('sources table rows', () => {
  it('shows a running source plain, with its rate and the age of its newest sample', () => {
    const [r] = sourceRows(
      [
        {
          assetId: 'P-101',
          kind: 'simulator',
          state: 'running',
          at: now,
          samplesPerS: 1,
          lastSampleAt: now - 3000,
        },
      ],
      now,
    )
    expect(r).toMatchObject({ tone: '', rate: '1.0/s', lastSample: '3 s ago', lastError: '' })
  })

  it('marks stale amber and failed red, keeps the last error, and leaves out the engine load row', () => {
    const rows = sourceRows(
      [
        { assetId: 'PUMP-7', kind: 'http', state: 'stale', at: now, message: 'no reading for 60 s' },
        {
          assetId: 'L2',
          kind: 'mqtt',
          state: 'failed',
          at: now,
          lastError: { message: 'broker refused us', at: now - 120_000 },
        },
        { assetId: 'system', kind: 'load', state: 'running', at: now },
      ],
      now,
    )
    expect(rows.map((r) => [r.assetId, r.tone])).toEqual([
      ['PUMP-7', 'cell-warning'],
      ['L2', 'cell-critical'],
    ])
    expect(rows[0]!.lastSample).toBe('none yet')
    expect(rows[1]!.lastError).toBe('broker refused us (2 min ago)')
  })

  it('writes rates and ages a person can read at a glance', () => {
    expect(formatRate(300)).toBe('300/s')
    expect(formatRate(0.25)).toBe('0.25/s')
    expect(formatRate(undefined)).toBe('—')
    expect(formatAge(now + 3_600_000, now)).toBe('1.0 h ahead (simulated time)')
  })
})
