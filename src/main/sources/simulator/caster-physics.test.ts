import { describe, expect, it } from 'vitest'
import { CASTER_TAGS, createCaster, stepCaster } from './caster-physics.ts'
import { generateCasts } from './caster-run.ts'

const col = (tag: string) => CASTER_TAGS.indexOf(tag as (typeof CASTER_TAGS)[number])
const start = Date.UTC(2024, 0, 1)
const mean = (v: Float64Array, from = 0, to = v.length) =>
  v.subarray(from, to).reduce((s, x) => s + x, 0) / (to - from)
const corr = (a: number[], b: number[]) => {
  const ma = a.reduce((s, x) => s + x, 0) / a.length
  const mb = b.reduce((s, x) => s + x, 0) / b.length
  let ab = 0
  let aa = 0
  let bb = 0
  for (let i = 0; i < a.length; i++) {
    ab += (a[i]! - ma) * (b[i]! - mb)
    aa += (a[i]! - ma) ** 2
    bb += (b[i]! - mb) ** 2
  }
  return ab / Math.sqrt(aa * bb)
}

describe('caster physics', () => {
  const { batch, casts } = generateCasts({ seed: 11, n: 120 })

  it('casts one heat after another, a few minutes each, numbered in sequence', () => {
    expect(casts.map((c) => c.cast)).toEqual(casts.map((_, i) => i + 1))
    for (const c of casts) {
      expect((c.endMs - c.startMs) / 1000).toBeGreaterThanOrEqual(180)
      expect((c.endMs - c.startMs) / 1000).toBeLessThanOrEqual(420)
      expect(c.rows).toBeGreaterThan(170)
    }
    const n = batch.values[col('Cast_Number')]!
    for (let i = 1; i < n.length; i++) expect(n[i]! - n[i - 1]!).toBeGreaterThanOrEqual(0)
  })

  it('casts hot steel slower, and sets spray water by casting speed', () => {
    const f = casts.map((c) => c.features)
    expect(
      corr(
        f.map((x) => x.superheatMean),
        f.map((x) => x.speedMean),
      ),
    ).toBeLessThan(-0.5)
    expect(
      corr(
        f.map((x) => x.speedMean),
        f.map((x) => x.secondaryFlowMean),
      ),
    ).toBeGreaterThan(0.95)
    for (const x of f) expect(x.tcUpperMean).toBeGreaterThan(x.tcLowerMean)
  })

  it('runs the mould hotter, and its water warmer, with casting speed and with superheat', () => {
    /** Means over minutes 2-5 of a cast held at this speed and superheat. */
    const cast = (speed: number, superheat: number) => {
      const s = createCaster(9, start, 1)
      Object.assign(s.plan, {
        speedSp: speed,
        superheatStart: superheat,
        superheatEnd: superheat,
        endMs: Infinity,
      })
      s.plan.stickerMs = NaN
      s.tundish = superheat
      const cols = CASTER_TAGS.map(() => new Float64Array(300))
      for (let i = 0; i < 300; i++) stepCaster(s, { levelHunting: 0, superheat: 0, sticker: 0 }, cols, i)
      const m = (tag: string) => mean(cols[col(tag)]!, 120)
      return { tc: m('Mould_TC_U1') + m('Mould_TC_L1'), dT: m('Mould_Water_dT_C') }
    }
    const base = cast(1.1, 22)
    const faster = cast(1.5, 22)
    const hotter = cast(1.1, 40)
    expect(faster.tc).toBeGreaterThan(base.tc + 20)
    expect(hotter.tc).toBeGreaterThan(base.tc + 10)
    expect(faster.dT).toBeGreaterThan(base.dT + 0.5)
    expect(hotter.dT).toBeGreaterThan(base.dT + 0.3)
  })

  it('plays the same casts at any sample rate, and the same samples for the same seed', () => {
    const fast = generateCasts({ seed: 11, n: 20, rateHz: 2 })
    expect(fast.casts.map((c) => [c.cast, c.startMs, c.endMs, c.sticker])).toEqual(
      casts.slice(0, 20).map((c) => [c.cast, c.startMs, c.endMs, c.sticker]),
    )
    const again = generateCasts({ seed: 11, n: 20 })
    expect(again.batch.values.map((v) => Array.from(v.subarray(0, 3000)))).toEqual(
      batch.values.map((v) => Array.from(v.subarray(0, 3000))),
    )
    expect(generateCasts({ seed: 12, n: 20 }).casts[0]!.endMs).not.toBe(casts[0]!.endMs)
  })
})

describe('caster faults', () => {
  /** One long cast's worth of steps from a fresh caster, with the faults given; the columns. */
  const run = (f: { levelHunting: number; superheat: number; sticker: number }, seconds = 170) => {
    const s = createCaster(5, start, 1)
    s.plan.endMs = Infinity
    s.plan.stickerMs = NaN
    const cols = CASTER_TAGS.map(() => new Float64Array(seconds))
    for (let i = 0; i < seconds; i++) stepCaster(s, f, cols, i)
    return { cols, s }
  }
  const none = { levelHunting: 0, superheat: 0, sticker: 0 }

  it('mould level hunting swings the level several millimetres more', () => {
    const sd = (v: Float64Array) => Math.sqrt(mean(v.map((x) => x * x)))
    const calm = run(none).cols[col('Mould_Level_mm')]!
    const hunting = run({ ...none, levelHunting: 1 }).cols[col('Mould_Level_mm')]!
    expect(sd(hunting)).toBeGreaterThan(sd(calm) + 3)
  })

  it('a hot heat raises superheat by 15 C and warms the mould', () => {
    const calm = run(none).cols
    const hot = run({ ...none, superheat: 1 }).cols
    expect(mean(hot[col('Superheat_C')]!) - mean(calm[col('Superheat_C')]!)).toBeCloseTo(15, 0)
    expect(mean(hot[col('Mould_TC_U1')]!, 60)).toBeGreaterThan(mean(calm[col('Mould_TC_U1')]!, 60) + 5)
  })

  it('a sticker heats an upper thermocouple, then the one below it as the strand carries it down', () => {
    const calm = run(none).cols
    const { cols, s } = run({ ...none, sticker: 1 }, 60)
    const rise = (tag: string) => {
      const v = cols[col(tag)]!
      const c = calm[col(tag)]!
      let best = 0
      let at = -1
      for (let i = 0; i < 60; i++)
        if (v[i]! - c[i]! > best) {
          best = v[i]! - c[i]!
          at = i
        }
      return { best, at }
    }
    const upper = rise('Mould_TC_U2')
    const lower = rise('Mould_TC_L2')
    expect(upper.best).toBeGreaterThan(10)
    expect(lower.best).toBeGreaterThan(8)
    // The delay is the row pitch over casting speed: 0.2 m at ~1.1 m/min is about 11 s.
    expect(lower.at - upper.at).toBeGreaterThan(5)
    expect(lower.at - upper.at).toBeLessThan(20)
    expect(rise('Mould_TC_U1').best).toBeLessThan(3)
    expect(s.watch.tripped).toBe(true)
  })
})
