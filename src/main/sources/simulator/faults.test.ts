import { describe, expect, it } from 'vitest'
import { VigilError } from '../../../shared/errors.ts'
import { FaultSet } from './faults.ts'
import { generatePump, type GenerateOptions } from './generate.ts'
import { PUMP_TAGS, TYPICAL } from './pump-physics.ts'

const start = Date.UTC(2024, 5, 1, 10)
const at = start + 600_000 // faults start after 10 minutes
const col = (tag: string) => PUMP_TAGS.indexOf(tag as (typeof PUMP_TAGS)[number])
const base: GenerateOptions = { seed: 21, startMs: start, n: 2400 }
const clean = generatePump(base)
const withFault = (f: NonNullable<GenerateOptions['faults']>[number]) =>
  generatePump({ ...base, faults: [f] })
const slice = (v: Float64Array, from: number, to: number) => Array.from(v.subarray(from, to))
const mean = (v: Float64Array, from: number, to: number) =>
  slice(v, from, to).reduce((s, x) => s + x, 0) / (to - from)
const std = (v: Float64Array, from: number, to: number) => {
  const m = mean(v, from, to)
  return Math.sqrt(slice(v, from, to).reduce((s, x) => s + (x - m) ** 2, 0) / (to - from))
}

describe('process faults', () => {
  it('bearing wear raises vibration and bearing temperature over its ramp and leaves flow alone', () => {
    const b = withFault({ kind: 'bearing_wear', since: at, rampS: 600 })
    const vib = col('Vibration_mm_s')
    const bearing = col('Bearing_Temperature_C')
    expect(slice(b.values[vib]!, 0, 600)).toEqual(slice(clean.values[vib]!, 0, 600))
    expect(mean(b.values[vib]!, 660, 720) - mean(clean.values[vib]!, 660, 720)).toBeLessThan(2)
    expect(mean(b.values[vib]!, 1800, 2400) - mean(clean.values[vib]!, 1800, 2400)).toBeGreaterThan(7)
    expect(mean(b.values[bearing]!, 2300, 2400) - mean(clean.values[bearing]!, 2300, 2400)).toBeGreaterThan(
      25,
    )
    expect(b.values[col('Flow_Rate_L_min')]).toEqual(clean.values[col('Flow_Rate_L_min')])
  })

  it('cavitation drops suction pressure, bursts vibration and makes flow oscillate', () => {
    const b = withFault({ kind: 'cavitation', since: at, rampS: 20 })
    const suction = col('Suction_Pressure_bar')
    const flow = col('Flow_Rate_L_min')
    expect(mean(b.values[suction]!, 700, 2400)).toBeLessThan(0.5)
    expect(std(b.values[flow]!, 700, 1000)).toBeGreaterThan(5 * std(clean.values[flow]!, 700, 1000))
    const excess = slice(b.values[col('Vibration_mm_s')]!, 700, 2400).map(
      (x, i) => x - clean.values[col('Vibration_mm_s')]![700 + i]!,
    )
    expect(Math.max(...excess)).toBeGreaterThan(4)
  })

  it('a seal leak bleeds oil pressure below its 1 bar critical limit over the ramp', () => {
    const b = withFault({ kind: 'seal_leak', since: at, rampS: 900 })
    const oil = b.values[col('Oil_Pressure_bar')]!
    const minutes = [10, 15, 20, 25].map((m) => mean(oil, m * 60, m * 60 + 60))
    for (let i = 1; i < minutes.length; i++) expect(minutes[i]!).toBeLessThan(minutes[i - 1]!)
    expect(mean(oil, 1600, 2400)).toBeLessThan(1)
  })
})

describe('sensor faults', () => {
  const tag = 'Discharge_Pressure_bar'
  const j = col(tag)
  const othersUntouched = (b: ReturnType<typeof generatePump>) =>
    b.values.forEach((v, k) => k !== j && expect(v).toEqual(clean.values[k]))

  it('a stuck sensor repeats one reading while the process and the other sensors go on', () => {
    const b = withFault({ kind: 'sensor_stuck', tag, since: at })
    expect(new Set(slice(b.values[j]!, 600, 2400)).size).toBe(1)
    expect(b.values[j]![600]).toBe(clean.values[j]![600])
    othersUntouched(b)
  })

  it('a spiking sensor jumps by a large fraction of its reading now and then', () => {
    const b = withFault({ kind: 'sensor_spike', tag, since: at })
    const jumps = slice(b.values[j]!, 0, 2400).filter(
      (x, i) => Math.abs(x - clean.values[j]![i]!) > 0.2 * TYPICAL[j]!,
    )
    expect(jumps.length).toBeGreaterThan(60)
    expect(jumps.length).toBeLessThan(300)
    expect(slice(b.values[j]!, 0, 600)).toEqual(slice(clean.values[j]!, 0, 600))
    othersUntouched(b)
  })

  it('a dropped-out sensor reads NaN, for the share of readings its severity says', () => {
    const all = withFault({ kind: 'sensor_dropout', tag, since: at })
    expect(slice(all.values[j]!, 600, 2400).every(Number.isNaN)).toBe(true)
    expect(slice(all.values[j]!, 0, 600).some(Number.isNaN)).toBe(false)
    othersUntouched(all)
    const half = withFault({ kind: 'sensor_dropout', tag, since: at, severity: 0.5 })
    const lost = slice(half.values[j]!, 600, 2400).filter(Number.isNaN).length / 1800
    expect(lost).toBeGreaterThan(0.4)
    expect(lost).toBeLessThan(0.6)
  })

  it('refuses a sensor fault without a pump tag, naming the tags it knows', () => {
    const f = new FaultSet()
    expect(() => f.inject({ kind: 'sensor_stuck' }, 0)).toThrow(VigilError)
    expect(() => f.inject({ kind: 'sensor_spike', tag: 'Nope' }, 0)).toThrow(/needs "tag".*Motor_RPM.*"Nope"/)
  })

  it('replaces a fault of the same kind and tag and clears by kind', () => {
    const f = new FaultSet()
    f.inject({ kind: 'sensor_stuck', tag }, 0)
    f.inject({ kind: 'sensor_stuck', tag }, 5)
    f.inject({ kind: 'sensor_stuck', tag: 'Motor_RPM' }, 5)
    f.inject({ kind: 'bearing_wear' }, 7)
    expect(f.active()).toHaveLength(3)
    expect(f.active().find((a) => a.tag === tag)!.since).toBe(5)
    expect(f.active().find((a) => a.kind === 'bearing_wear')).toMatchObject({
      rampS: 600,
      severity: 1,
      since: 7,
    })
    expect(f.clear('sensor_stuck').map((a) => a.kind)).toEqual(['bearing_wear'])
    expect(f.clear()).toEqual([])
  })
})
