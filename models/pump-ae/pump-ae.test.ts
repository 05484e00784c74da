import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FaultKind } from '../../src/shared/samples.ts'
import { openAutoencoder, type Autoencoder } from '../../src/main/models/autoencoder.ts'
import { loadModel } from '../../src/main/models/registry.ts'
import { columnsFor, slideWindows } from '../../src/main/models/windows.ts'
import { generatePump, PUMP_TAGS } from '../../src/main/sources/simulator/index.ts'

/*
 * The shipped model against the real simulator, on seeds it never saw in training (1-8) or
 * validation (11-12): the false-alarm rate on normal running and how fast each fault shows.
 */

let ae: Autoencoder
beforeAll(async () => {
  ae = await openAutoencoder(loadModel(new URL('./', import.meta.url).pathname))
})
afterAll(() => ae.close())

const startMs = Date.UTC(2024, 8, 3, 6)

async function scoreRun(
  seed: number,
  n: number,
  faults: { kind: FaultKind; since: number; rampS?: number }[] = [],
) {
  const b = generatePump({ seed, startMs, n, faults })
  const cols = columnsFor(ae.card.inputs.tags, PUMP_TAGS, b.values, `seed ${seed}`)
  const w = slideWindows(cols, ae.card.inputs.window)
  const { score, contrib } = await ae.score(w.data, w.n)
  return { t: b.t, ends: w.ends, score, contrib, w }
}

type Run = Awaited<ReturnType<typeof scoreRun>>
/** Tags of window k, largest share first. */
const rank = (r: Run, k: number) =>
  ae.tags
    .map((tag, j) => [tag, r.contrib[k * 10 + j]!] as const)
    .sort((a, b) => b[1] - a[1])
    .map(([tag]) => tag)
const shares = (r: Run, k: number) =>
  rank(r, k)
    .slice(0, 3)
    .map((tag) => `${tag} ${r.contrib[k * 10 + ae.tags.indexOf(tag)]!.toFixed(2)}`)
    .join(', ')

describe('pump-ae on the pump simulator', () => {
  it('keeps two hours of normal running from an unseen seed NORMAL in over 98% of windows', async () => {
    const { score } = await scoreRun(4242, 7200)
    const far = score.filter((s) => s > ae.card.threshold.value).length / score.length
    console.log(
      `pump-ae false-alarm rate, seed 4242, ${score.length} stride-1 windows: ${(far * 100).toFixed(2)}%`,
    )
    expect(far).toBeLessThan(0.02)
  })

  it('turns P-101 ANOMALY within 90 windows (90 s) of bearing wear starting, blaming vibration or bearing temperature', async () => {
    const since = startMs + 1200_000
    const r = await scoreRun(4343, 2400, [{ kind: 'bearing_wear', since, rampS: 600 }])
    const first = r.ends.findIndex((e) => r.t[e]! >= since)
    const hit = r.score.findIndex((s, k) => k >= first && s > ae.card.threshold.value)
    const delay = hit - first + 1
    console.log(
      `pump-ae bearing wear (ramp 600 s): ANOMALY after ${delay} stride-1 windows (${delay} s at 1 Hz)`,
    )
    expect(hit).toBeGreaterThanOrEqual(first)
    expect(delay).toBeLessThanOrEqual(90)
    console.log(`  at detection: ${shares(r, hit)}; 10 min later: ${shares(r, hit + 600)}`)
    expect(rank(r, hit).slice(0, 2)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^(Vibration_mm_s|Bearing_Temperature_C)$/)]),
    )
    // Suction pressure's noise no longer makes it look guilty: never 1.5x an equal share once ANOMALY.
    const suction = ae.tags.indexOf('Suction_Pressure_bar')
    for (let k = hit; k < r.score.length; k++)
      if (r.score[k]! > ae.threshold) expect(r.contrib[k * 10 + suction]! * 10).toBeLessThan(1.5)
    expect(rank(r, r.score.length - 1)[0]).toBe('Vibration_mm_s')
    // Once worn, it stays ANOMALY: the last ten minutes are flagged throughout.
    const late = r.score.subarray(r.score.length - 600)
    expect(late.every((s) => s > ae.card.threshold.value)).toBe(true)
  })

  it.each([
    ['cavitation', 60, ['Suction_Pressure_bar', 'Vibration_mm_s', 'Flow_Rate_L_min']],
    ['seal_leak', 400, ['Oil_Pressure_bar']],
  ] as const)('detects %s within %i windows and names %j first', async (kind, bound, names) => {
    const since = startMs + 1200_000
    const r = await scoreRun(4444, 2400, [{ kind, since }])
    const first = r.ends.findIndex((e) => r.t[e]! >= since)
    const hit = r.score.findIndex((s, k) => k >= first && s > ae.card.threshold.value)
    const last = r.score.length - 1
    console.log(
      `pump-ae ${kind}: ANOMALY after ${hit - first + 1} stride-1 windows; shares at detection: ` +
        `${shares(r, hit)}; at the end: ${shares(r, last)}`,
    )
    expect(hit).toBeGreaterThanOrEqual(first)
    expect(hit - first + 1).toBeLessThanOrEqual(bound)
    expect(names).toContain(rank(r, hit)[0])
    expect(names).toContain(rank(r, last)[0])
  })

  it('scores 1000 windows in one batch as it scores them one by one, and prints the time per window of each', async () => {
    const { w } = await scoreRun(4545, 1029)
    let t0 = performance.now()
    const all = await ae.score(w.data, w.n)
    const batched = (performance.now() - t0) / w.n
    const single = new Float64Array(200)
    t0 = performance.now()
    for (let k = 0; k < 200; k++)
      single[k] = (await ae.score(w.data.subarray(k * 300, k * 300 + 300), 1)).score[0]!
    const each = (performance.now() - t0) / 200
    console.log(
      `pump-ae inference per window: batched ${(batched * 1000).toFixed(1)} us, one by one ${(each * 1000).toFixed(1)} us`,
    )
    single.forEach((s, k) => expect(s).toBeCloseTo(all.score[k]!, 5))
  })
})
