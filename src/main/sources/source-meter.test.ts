import { describe, expect, it } from 'vitest'
import type { SourceStatus } from '../../shared/samples.ts'
import { SourceMeter } from './source-meter.ts'

const status = (s: Partial<SourceStatus>): SourceStatus => ({
  assetId: 'A',
  kind: 'simulator',
  state: 'running',
  at: 0,
  ...s,
})

describe('source meter', () => {
  it('reports samples per second over the last ten seconds and the newest sample time', () => {
    let now = 1_000_000
    const m = new SourceMeter(() => now)
    m.seen('A', 0, NaN)
    for (let s = 0; s < 20; s++) {
      now += 1000
      m.seen('A', 5, now - 200)
    }
    now += 500
    const filled = m.fill(status({}))
    expect(filled.samplesPerS).toBeCloseTo(5, 0)
    expect(filled.lastSampleAt).toBe(now - 700)
    now += 30_000 // silence: the rate falls to nothing, the last sample time stays
    expect(m.fill(status({}))).toMatchObject({ samplesPerS: 0, lastSampleAt: now - 30_700 })
  })

  it('keeps what a source measured itself, and says 0 samples/s for a source that sent none yet', () => {
    const m = new SourceMeter(() => 5000)
    m.seen('A', 10, 4000)
    const own = status({ samplesPerS: 99, lastSampleAt: 1 })
    expect(m.report(own)).toMatchObject({ samplesPerS: 99, lastSampleAt: 1 })
    expect(m.fill(own)).toMatchObject({ samplesPerS: 99, lastSampleAt: 1 })
    expect(m.fill(status({ assetId: 'B' }))).toEqual({ ...status({ assetId: 'B' }), samplesPerS: 0 })
  })

  it('remembers the last failure after the source is running again', () => {
    const m = new SourceMeter(() => 9000)
    m.seen('A', 1, 8000)
    m.report(status({ state: 'failed', message: 'broker refused us', at: 7000 }))
    const back = m.report(status({ state: 'running', at: 8500 }))
    expect(back.lastError).toEqual({ message: 'broker refused us', at: 7000 })
    expect(back.state).toBe('running')
  })
})
