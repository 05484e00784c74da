import { describe, expect, it } from 'vitest'
import { BreakoutWatch, CastTally, crackRule } from './caster-defects.ts'
import { generateCasts } from './caster-run.ts'

/** Feeds the watch 1 Hz thermocouple rows: base 150 C upper / 120 C lower plus the bumps given. */
function watch(bumps: { row: number; from: number; size: number }[], seconds = 80): boolean {
  const w = new BreakoutWatch(1)
  const tc = new Float64Array(6)
  for (let i = 0; i < seconds; i++) {
    for (let j = 0; j < 6; j++) tc[j] = j < 3 ? 150 : 120
    for (const b of bumps) if (i >= b.from) tc[b.row] = tc[b.row]! + b.size
    w.push(Date.UTC(2024, 0, 1) + i * 1000, tc)
  }
  return w.tripped
}

describe('caster defect rules', () => {
  it('cracks a cast only when mould level fluctuation and superheat are both high', () => {
    expect(crackRule(4, 33)).toBe(true)
    expect(crackRule(4, 25)).toBe(false)
    expect(crackRule(2, 33)).toBe(false)
    expect(crackRule(3.5, 30)).toBe(false) // both limits are exclusive
    const t = new CastTally()
    for (let i = 0; i < 100; i++) t.add(i % 2 ? 5 : -5, 35, 1.2)
    expect(t.outcome(7, 0, 100_000, false, false)).toMatchObject({ cast: 7, levelStdMm: 5, crack: true })
    expect(t.outcome(8, 0, 1, false, false).levelStdMm).toBeNaN() // a cast skipped whole
  })

  it('flags breakout risk when an upper thermocouple rises and the one below follows seconds later', () => {
    expect(
      watch([
        { row: 1, from: 20, size: 15 },
        { row: 4, from: 31, size: 10 },
      ]),
    ).toBe(true)
  })

  it('does not flag a rise that stays in the upper row, one in another column, or both rows at once', () => {
    expect(watch([{ row: 1, from: 20, size: 15 }])).toBe(false)
    expect(
      watch([
        { row: 1, from: 20, size: 15 },
        { row: 5, from: 31, size: 10 },
      ]),
    ).toBe(false)
    expect(
      watch([
        { row: 0, from: 20, size: 15 },
        { row: 3, from: 20, size: 10 },
      ]),
    ).toBe(false)
    expect(
      watch([
        { row: 0, from: 20, size: 15 },
        { row: 3, from: 60, size: 10 },
      ]),
    ).toBe(false) // too late
  })

  it('labels generated casts by the rules: every sticker a breakout risk, cracks where both causes meet', () => {
    const { casts } = generateCasts({ seed: 21, n: 600 })
    const stickers = casts.filter((c) => c.sticker)
    expect(stickers.length).toBeGreaterThan(10)
    for (const c of casts) {
      expect(c.breakoutRisk).toBe(c.sticker)
      expect(c.crack).toBe(c.levelStdMm > 3.5 && c.superheatMeanC > 30)
      expect(c.defect).toBe(c.crack || c.breakoutRisk)
      // The instruments see what the rule saw, through their noise.
      expect(c.features.levelStd).toBeCloseTo(c.levelStdMm, 0)
      expect(c.features.superheatMean).toBeCloseTo(c.superheatMeanC, 0)
    }
    const rate = (f: (c: (typeof casts)[number]) => boolean) => casts.filter(f).length / casts.length
    // Imbalanced like a plant, but with enough defects to learn from.
    expect(rate((c) => c.crack)).toBeGreaterThan(0.02)
    expect(rate((c) => c.crack)).toBeLessThan(0.15)
    expect(rate((c) => c.defect)).toBeLessThan(0.25)
    // The thermocouple pattern is what separates the sticker casts.
    const rise = (cs: typeof casts) => Math.min(...cs.map((c) => c.features.tcLowerMaxRise))
    expect(rise(stickers)).toBeGreaterThan(
      Math.max(...casts.filter((c) => !c.sticker).map((c) => c.features.tcLowerMaxRise)),
    )
  })

  it('turns casts defective when level hunting and a hot heat are injected together', () => {
    const since = Date.UTC(2024, 0, 1)
    const { casts } = generateCasts({
      seed: 22,
      n: 12,
      faults: [
        { kind: 'mould_level_hunting', since, rampS: 0 },
        { kind: 'superheat_high', since, rampS: 0 },
      ],
    })
    expect(casts.filter((c) => c.crack).length).toBeGreaterThanOrEqual(10)
  })
})
