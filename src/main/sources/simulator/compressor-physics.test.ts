import { describe, expect, it } from 'vitest'
import {
  COMPRESSOR_TAGS,
  createCompressor,
  stepCompressor,
  type CompressorState,
} from './compressor-physics.ts'
import {
  compressorSetpoints,
  createCompressorRun,
  generateCompressor,
  remainingLife,
} from './compressor-run.ts'

const col = (tag: string) => COMPRESSOR_TAGS.indexOf(tag as (typeof COMPRESSOR_TAGS)[number])
const noon = Date.UTC(2024, 5, 1, 12)
const healthy = { fouling: 0, surge: 0, bearing: 0 }
const mean = (v: Float64Array, from = 0, to = v.length) =>
  v.subarray(from, to).reduce((s, x) => s + x, 0) / (to - from)
const std = (v: Float64Array, from = 0, to = v.length) => {
  const m = mean(v, from, to)
  return Math.sqrt(v.subarray(from, to).reduce((s, x) => s + (x - m) ** 2, 0) / (to - from))
}

/** A compressor held at speed and IGV with fouling frozen at F, stepped for `seconds` at 1 Hz; tag means over the last half. */
function hold(
  F: number,
  rpm: number,
  igv: number,
  seconds = 600,
  f = healthy,
  seed = 1,
): Record<string, number> {
  const s = createCompressor(seed, noon, 1, { fouling0: F, foulingHours: 1e12 })
  at(s, rpm, igv)
  const cols = COMPRESSOR_TAGS.map(() => new Float64Array(seconds))
  for (let i = 0; i < seconds; i++) stepCompressor(s, f, cols, i)
  return Object.fromEntries(COMPRESSOR_TAGS.map((t, j) => [t, mean(cols[j]!, seconds / 2)]))
}
function at(s: CompressorState, rpm: number, igv: number): void {
  s.held = { speed: true, igv: true }
  s.speed = s.speedSp = rpm
  s.igv = s.igvSp = igv
}

describe('compressor physics', () => {
  it('gives the discharge temperature of the isentropic relation with its efficiency, and power of flow times enthalpy rise', () => {
    const r = hold(0.2, 14_100, 100)
    const t1 = r.Inlet_Temperature_C! + 273.15
    const t2 = r.Discharge_Temperature_C! + 273.15
    const pr = r.Discharge_Pressure_bar! / r.Inlet_Pressure_bar!
    const eta = r.Isentropic_Efficiency_pct! / 100
    expect(t2).toBeCloseTo(t1 * (1 + (pr ** (0.4 / 1.4) - 1) / eta), 0)
    expect(r.Power_MW!).toBeCloseTo((r.Mass_Flow_kg_s! * 1.005 * (t2 - t1)) / 1000, 1)
    // An SGT-400-class machine at its design point.
    expect(pr).toBeGreaterThan(15)
    expect(pr).toBeLessThan(18)
    expect(r.Mass_Flow_kg_s!).toBeGreaterThan(34)
    expect(r.Mass_Flow_kg_s!).toBeLessThan(42)
    expect(r.Surge_Margin_pct!).toBeGreaterThan(15)
  })

  it('moves more air at a higher pressure ratio, hotter and with more power when speed or guide vanes open up', () => {
    const slow = hold(0.2, 13_400, 100)
    const fast = hold(0.2, 14_100, 100)
    const closed = hold(0.2, 14_100, 70)
    for (const [lo, hi] of [
      [slow, fast],
      [closed, fast],
    ]) {
      expect(hi!.Mass_Flow_kg_s!).toBeGreaterThan(lo!.Mass_Flow_kg_s! * 1.05)
      expect(hi!.Discharge_Pressure_bar!).toBeGreaterThan(lo!.Discharge_Pressure_bar! + 1)
      expect(hi!.Discharge_Temperature_C!).toBeGreaterThan(lo!.Discharge_Temperature_C! + 10)
      expect(hi!.Power_MW!).toBeGreaterThan(lo!.Power_MW! * 1.1)
    }
  })

  it('loses efficiency, flow and surge margin and runs hotter as it fouls, as the naval decay data does', () => {
    const clean = hold(0, 14_100, 100)
    const fouled = hold(1, 14_100, 100)
    // Naval CBM data (kMc 1.00 -> 0.95): T2 up 10-18 K, P2 down 1-2%, isentropic efficiency down 3-4 points.
    expect(fouled.Discharge_Temperature_C! - clean.Discharge_Temperature_C!).toBeGreaterThan(10)
    expect(fouled.Discharge_Temperature_C! - clean.Discharge_Temperature_C!).toBeLessThan(30)
    expect(fouled.Discharge_Pressure_bar!).toBeLessThan(clean.Discharge_Pressure_bar!)
    expect(clean.Isentropic_Efficiency_pct! - fouled.Isentropic_Efficiency_pct!).toBeGreaterThan(4)
    expect(fouled.Mass_Flow_kg_s!).toBeLessThan(clean.Mass_Flow_kg_s! * 0.96)
    // At the wash limit about half the clean surge margin is left.
    expect(fouled.Surge_Margin_pct!).toBeLessThan(11)
    expect(fouled.Surge_Margin_pct!).toBeGreaterThan(7)
  })

  it('fouls slowly by itself and fast under the fouling fault, and health falls as fouling grows', () => {
    const day = (faults?: Parameters<typeof generateCompressor>[0]['faults']) =>
      generateCompressor({ seed: 3, startMs: noon, n: 24 * 60, rateHz: 1 / 60, fouling0: 0.1, faults })
    const calm = day()
    const dusty = day([{ kind: 'fouling', since: noon, rampS: 0 }])
    const grown = (r: ReturnType<typeof day>) => r.truth.fouling.at(-1)! - r.truth.fouling[0]!
    expect(grown(calm)).toBeGreaterThan(0.005)
    expect(grown(calm)).toBeLessThan(0.03) // 1,500 running hours to the wash limit
    expect(grown(dusty)).toBeGreaterThan(50 * grown(calm))
    for (let i = 1; i < dusty.truth.health.length; i++)
      expect(dusty.truth.health[i]!).toBeLessThanOrEqual(dusty.truth.health[i - 1]!)
    expect(dusty.truth.health.at(-1)!).toBe(0)
    const eff = dusty.batch.values[col('Isentropic_Efficiency_pct')]!
    expect(mean(eff, 1300)).toBeLessThan(mean(eff, 0, 60) - 3)
  })

  it('approaches surge under back pressure: margin near zero, flow and pressure unsteady, vibration up', () => {
    const b = generateCompressor({
      seed: 4,
      startMs: noon,
      n: 1200,
      fouling0: 0.2,
      faults: [{ kind: 'surge', since: noon + 300_000, rampS: 120 }],
    }).batch
    const v = (tag: string) => b.values[col(tag)]!
    expect(mean(v('Surge_Margin_pct'), 0, 300)).toBeGreaterThan(12)
    expect(mean(v('Surge_Margin_pct'), 600)).toBeLessThan(3)
    expect(std(v('Mass_Flow_kg_s'), 600)).toBeGreaterThan(4 * std(v('Mass_Flow_kg_s'), 0, 300))
    expect(std(v('Discharge_Pressure_bar'), 600)).toBeGreaterThan(
      4 * std(v('Discharge_Pressure_bar'), 0, 300),
    )
    expect(mean(v('Vibration_mm_s'), 600)).toBeGreaterThan(mean(v('Vibration_mm_s'), 0, 300) + 2)
  })

  it('wears a bearing: vibration past 11 mm/s and a hotter bearing, the gas path untouched', () => {
    const ok = hold(0.2, 14_100, 100, 1800)
    const worn = hold(0.2, 14_100, 100, 1800, { fouling: 0, surge: 0, bearing: 1 })
    expect(worn.Vibration_mm_s!).toBeGreaterThan(11)
    expect(worn.Bearing_Temperature_C! - ok.Bearing_Temperature_C!).toBeGreaterThan(20)
    expect(worn.Discharge_Temperature_C!).toBeCloseTo(ok.Discharge_Temperature_C!, 0)
  })

  it('gives the same samples and truth for the same seed and others for another', () => {
    const a = generateCompressor({ seed: 5, startMs: noon, n: 500 })
    const b = generateCompressor({ seed: 5, startMs: noon, n: 500 })
    const c = generateCompressor({ seed: 6, startMs: noon, n: 500 })
    expect(b.batch.values).toEqual(a.batch.values)
    expect(b.truth).toEqual(a.truth)
    expect(c.batch.values[0]).not.toEqual(a.batch.values[0])
  })

  it('labels remaining life as the seconds until health reaches zero, NaN where the run ends first', () => {
    const t = Float64Array.from([0, 1000, 2000, 3000, 4000])
    const rul = remainingLife(t, Float64Array.from([0.3, 0.2, 0.1, 0, 0.5]))
    expect(Array.from(rul.subarray(0, 4))).toEqual([3, 2, 1, 0])
    expect(rul[4]).toBeNaN()
  })
})

describe('compressor setpoints', () => {
  it('holds a set speed and IGV against its own schedule, and the process follows at the ramp rate', () => {
    const run = createCompressorRun(8, noon, 1, { fouling0: 0.2 })
    const sp = compressorSetpoints(run)
    const before = sp.list()
    expect(before.map((p) => p.tag)).toEqual(['Shaft_Speed_rpm', 'IGV_Position_pct'])
    expect(before.every((p) => !p.held)).toBe(true)
    const after = sp.set('IGV_Position_pct', 60)
    expect(after[1]).toMatchObject({ value: 60, held: true, setAt: noon })
    run.state.nextChangeMs = noon // a scheduled change comes due at once, and must not move the held IGV
    const cols = COMPRESSOR_TAGS.map(() => new Float64Array(200))
    for (let i = 0; i < 200; i++) stepCompressor(run.state, healthy, cols, i)
    expect(cols[col('IGV_Position_pct')]![199]).toBeCloseTo(60, 0)
    expect(sp.list()[1]!.value).toBe(60)
    expect(() => sp.set('Shaft_Speed_rpm', 20_000)).toThrow(
      /Shaft_Speed_rpm: 20000 rpm is outside 12600 to 14500 rpm/,
    )
    expect(() => sp.set('Power_MW', 10)).toThrow(/not "Power_MW"/)
    expect(sp.release()[1]!.held).toBe(false)
  })
})
