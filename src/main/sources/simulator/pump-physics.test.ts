import { describe, expect, it } from 'vitest'
import { generatePump } from './generate.ts'
import { createPump, PUMP_TAGS, stepPump, type PumpState } from './pump-physics.ts'

const col = (tag: string) => PUMP_TAGS.indexOf(tag as (typeof PUMP_TAGS)[number])
const healthy = { bearing: 0, cavitation: 0, seal: 0 }
const noon = Date.UTC(2024, 5, 1, 12)

/** Runs a pump held at a speed setpoint for `seconds` at 1 Hz; returns its columns. */
function hold(p: PumpState, rpm: number, seconds: number): Float64Array[] {
  p.setpoint = rpm
  p.nextChangeMs = Infinity
  const cols = PUMP_TAGS.map(() => new Float64Array(seconds))
  for (let i = 0; i < seconds; i++) stepPump(p, healthy, cols, i)
  return cols
}
const mean = (v: Float64Array, from = 0, to = v.length) =>
  v.subarray(from, to).reduce((s, x) => s + x, 0) / (to - from)

describe('pump physics', () => {
  it('runs faster pumps with more flow, discharge pressure and current, as the affinity laws say', () => {
    const p = createPump(7, noon, 1)
    const slow = hold(p, 2600, 1200).map((v) => mean(v, 900))
    const fast = hold(p, 3000, 1200).map((v) => mean(v, 900))
    const ratio = 3000 / 2600
    const flow = col('Flow_Rate_L_min')
    expect(fast[flow]! / slow[flow]!).toBeCloseTo(ratio, 1)
    expect(fast[col('Discharge_Pressure_bar')]!).toBeGreaterThan(slow[col('Discharge_Pressure_bar')]! + 2)
    // Current is no-load plus a load that goes with speed cubed: a 15% faster pump draws ~20% more.
    expect(fast[col('Motor_Current_A')]! / slow[col('Motor_Current_A')]!).toBeGreaterThan(1.15)
    expect(fast[col('Bearing_Temperature_C')]!).toBeGreaterThan(slow[col('Bearing_Temperature_C')]!)
  })

  it('lets bearing and casing temperature follow a load step over minutes while current follows in seconds', () => {
    const p = createPump(8, noon, 1)
    const before = hold(p, 2600, 3600).map((v) => mean(v, 3300))
    const after = hold(p, 3000, 3600)
    const current = col('Motor_Current_A')
    const bearing = col('Bearing_Temperature_C')
    const casing = col('Casing_Temperature_C')
    const progress = (j: number, s: number) =>
      (mean(after[j]!, s - 10, s + 10) - before[j]!) / (mean(after[j]!, 3300) - before[j]!)
    expect(progress(current, 80)).toBeGreaterThan(0.9)
    expect(progress(bearing, 80)).toBeLessThan(0.4)
    expect(progress(bearing, 1200)).toBeGreaterThan(0.9)
    expect(progress(casing, 300)).toBeLessThan(progress(bearing, 300))
  })

  it('warms the afternoon and cools the night', () => {
    const ambient = col('Ambient_Temperature_C')
    const at = (hour: number) =>
      mean(generatePump({ seed: 3, startMs: Date.UTC(2024, 5, 1, hour), n: 600 }).values[ambient]!)
    expect(at(14) - at(2)).toBeGreaterThan(6)
  })

  it('changes its operating point now and then within the normal speed band', () => {
    const rpm = generatePump({ seed: 4, startMs: noon, n: 6 * 3600 }).values[col('Motor_RPM')]!
    const minutes = Array.from({ length: 360 }, (_, m) => mean(rpm, m * 60, m * 60 + 60))
    expect(Math.min(...minutes)).toBeGreaterThan(2590)
    expect(Math.max(...minutes)).toBeLessThan(3010)
    expect(Math.max(...minutes) - Math.min(...minutes)).toBeGreaterThan(100)
  })

  it('gives the same samples for the same seed and different ones for another', () => {
    const a = generatePump({ seed: 5, startMs: noon, n: 500 })
    const b = generatePump({ seed: 5, startMs: noon, n: 500 })
    const c = generatePump({ seed: 6, startMs: noon, n: 500 })
    expect(b.values).toEqual(a.values)
    expect(Array.from(b.t)).toEqual(Array.from(a.t))
    expect(c.values[0]).not.toEqual(a.values[0])
  })

  it('stamps samples 1/rateHz apart from the start', () => {
    const b = generatePump({ seed: 1, startMs: noon, n: 1000, rateHz: 100 })
    expect(b.t[0]).toBe(noon)
    expect(b.t[999]).toBeCloseTo(noon + 9990, 6)
    expect(b.values.every((v) => v.every((x) => Number.isFinite(x)))).toBe(true)
  })
})

describe('pump simulator, unchanged', () => {
  it('makes exactly the samples the pump-ae model was trained on, faults included', async () => {
    const { createHash } = await import('node:crypto')
    const s = Date.UTC(2024, 5, 1, 10)
    const h = createHash('sha256')
    const plans: NonNullable<Parameters<typeof generatePump>[0]['faults']>[] = [
      [],
      [{ kind: 'bearing_wear', since: s + 600_000, rampS: 600 }],
      [
        { kind: 'cavitation', since: s + 300_000 },
        { kind: 'sensor_spike', tag: 'Motor_RPM', since: s + 100_000 },
        { kind: 'sensor_stuck', tag: 'Flow_Rate_L_min', since: s + 100_000 },
        { kind: 'seal_leak', since: s },
        { kind: 'sensor_dropout', tag: 'Oil_Pressure_bar', since: s + 5000, severity: 0.5 },
      ],
    ]
    for (const faults of plans) {
      const b = generatePump({ seed: 42, startMs: s, n: 5000, rateHz: 2, faults })
      h.update(new Uint8Array(b.t.buffer))
      for (const v of b.values) h.update(new Uint8Array(v.buffer))
    }
    // Digest of the generator as the model was trained on it; a change here means retraining pump-ae.
    expect(h.digest('hex')).toBe('e65c9570ac53cc8f75e2881bc671d0dee7be6ad38506008145481018f9bac2cd')
  })
})
