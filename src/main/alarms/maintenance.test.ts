import { describe, expect, it } from 'vitest'
import { SensorState, type ScoreBatch } from '../../shared/samples.ts'
import { workOrdersCsv } from './csv.ts'
import { MaintenanceTracker } from './maintenance.ts'
import { demoPlant, NORMAL_VALUES } from './test-kit.ts'

const TAGS = Object.keys(NORMAL_VALUES)
const T0 = Date.UTC(2025, 6, 1, 8)

/** n windows of pump-ae on P-101 from window `from`: anomalous or not, one sensor in `state`. */
function windows(from: number, n: number, anomalous: boolean, tag: string, state: number): ScoreBatch {
  const F = TAGS.length
  const sensorState = new Uint8Array(n * F)
  for (let i = 0; i < n; i++) sensorState[i * F + TAGS.indexOf(tag)] = state
  return {
    assetId: 'P-101',
    modelId: 'pump-ae',
    modelVersion: '1',
    tags: TAGS,
    threshold: 0.2,
    t: Float64Array.from({ length: n }, (_, i) => T0 + (from + i) * 1000),
    score: new Float64Array(n).fill(anomalous ? 0.5 : 0.1),
    anomaly: new Uint8Array(n).fill(anomalous ? 1 : 0),
    contrib: new Float64Array(n * F).fill(1 / F),
    sensorState,
    latencyMs: 1,
  }
}

/** Bearing temperature climbing 86, 87, 88.4, 90 C over four seconds; the third window ends at 88.4. */
const hot = {
  assetId: 'P-101',
  t: Float64Array.of(T0, T0 + 1000, T0 + 2000, T0 + 3000),
  values: TAGS.map((t) =>
    t === 'Bearing_Temperature_C'
      ? Float64Array.of(86, 87, 88.4, 90)
      : new Float64Array(4).fill(NORMAL_VALUES[t]!),
  ),
}

describe('maintenance events from model findings', () => {
  it('opens one CRITICAL event at 67,500 INR when bearing temperature is anomalous past 85 C for 3 windows', () => {
    const m = new MaintenanceTracker(demoPlant(), [], 0)
    m.samples(hot)
    expect(m.scores(windows(0, 2, true, 'Bearing_Temperature_C', SensorState.CRITICAL))).toEqual([])
    const [e, ...more] = m.scores(windows(2, 1, true, 'Bearing_Temperature_C', SensorState.CRITICAL))
    expect(more).toEqual([])
    expect(e).toMatchObject({
      id: 1,
      workOrder: 'WO-000001',
      assetId: 'P-101',
      tag: 'Bearing_Temperature_C',
      cause: 'P-101/Bearing_Temperature_C',
      severity: 'CRITICAL',
      cost: 67_500,
      currency: 'INR',
      status: 'open',
      value: 88.4,
    })
    expect(e!.message).toMatch(/Bearing temperature 88\.4 °C past its critical limit 85 °C/)
    // The finding goes on: no second event while the first is open.
    expect(m.scores(windows(3, 100, true, 'Bearing_Temperature_C', SensorState.CRITICAL))).toEqual([])
    expect(m.openEvents()).toHaveLength(1)
  })

  it('does not open an event for a critical value the model finds normal', () => {
    const m = new MaintenanceTracker(demoPlant(), [], 0)
    expect(m.scores(windows(0, 50, false, 'Bearing_Temperature_C', SensorState.CRITICAL))).toEqual([])
  })

  it('raises an open HIGH event to CRITICAL in place, and prices MEDIUM findings on other sensors', () => {
    const m = new MaintenanceTracker(demoPlant(), [], 0)
    const [high] = m.scores(windows(0, 10, true, 'Vibration_mm_s', SensorState.ANOMALOUS))
    expect([high!.severity, high!.cost]).toEqual(['HIGH', 45_000])
    const [crit] = m.scores(windows(10, 3, true, 'Vibration_mm_s', SensorState.CRITICAL))
    expect([crit!.id, crit!.severity, crit!.cost]).toEqual([high!.id, 'CRITICAL', 67_500])
    const [medium] = m.scores(windows(13, 30, true, 'Flow_Rate_L_min', SensorState.ANOMALOUS))
    expect([medium!.id, medium!.severity, medium!.tag]).toEqual([2, 'MEDIUM', 'Flow_Rate_L_min'])
  })

  it('uses the plant cost model when it has one', () => {
    const plant = demoPlant((p) => {
      // Re-parsed by demoPlant, so the defaults fill in.
      Object.assign(p, {
        maintenance: {
          currency: 'USD',
          base: { pump: 900 },
          factor: { CRITICAL: 2 },
        },
      })
    })
    const [e] = new MaintenanceTracker(plant, [], 41).scores(
      windows(0, 3, true, 'Bearing_Temperature_C', SensorState.CRITICAL),
    )
    expect([e!.id, e!.cost, e!.currency]).toEqual([42, 1800, 'USD'])
  })

  it('resolves with notes, after which the same cause must persist afresh to open a new event', () => {
    const m = new MaintenanceTracker(demoPlant(), [], 0)
    const [e] = m.scores(windows(0, 3, true, 'Bearing_Temperature_C', SensorState.CRITICAL))
    const done = m.resolve(e!.id, 'ravi', 'bearing replaced', T0 + 99)
    expect(done).toMatchObject({
      status: 'resolved',
      resolvedBy: 'ravi',
      notes: 'bearing replaced',
      resolvedAt: T0 + 99,
    })
    expect(() => m.resolve(e!.id, 'ravi', 'again', T0)).toThrow(/no open maintenance event WO-000001/)
    expect(m.scores(windows(3, 2, true, 'Bearing_Temperature_C', SensorState.CRITICAL))).toEqual([])
    expect(m.scores(windows(5, 1, true, 'Bearing_Temperature_C', SensorState.CRITICAL))[0]!.id).toBe(2)
  })
})

describe('work-order CSV', () => {
  it('quotes commas and quotes, and defuses cells a spreadsheet would run', () => {
    const m = new MaintenanceTracker(demoPlant(), [], 0)
    const [e] = m.scores(windows(0, 3, true, 'Bearing_Temperature_C', SensorState.CRITICAL))
    const done = m.resolve(e!.id, 'ravi', '=HYPERLINK("http://x") replaced, "new" bearing', T0 + 3_600_000)
    const lines = workOrdersCsv([done]).split('\r\n')
    expect(lines[0]).toBe(
      'work_order,opened_at,asset,sensor,severity,description,value,anomaly_score,estimated_cost,currency,status,resolved_at,resolved_by,notes',
    )
    expect(lines[1]).toMatch(/^WO-000001,2025-07-01T08:00:02\.000Z,P-101,Bearing_Temperature_C,CRITICAL,/)
    expect(lines[1]).toContain(
      ',67500,INR,resolved,2025-07-01T09:00:00.000Z,ravi,"\'=HYPERLINK(""http://x"") replaced, ""new"" bearing"',
    )
    expect(lines[2]).toBe('')
  })
})
