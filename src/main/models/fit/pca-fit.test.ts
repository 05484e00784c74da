import { describe, expect, it } from 'vitest'
import { fitPca } from './pca-fit.ts'
import { pcaStatistics, percentile } from './pca-stats.ts'
import { correlatedColumns, rowMajor } from './synthetic.ts'

const TAGS = ['flow', 'suction', 'discharge', 'current', 'power', 'vibration', 'bearing', 'casing']
const all = correlatedColumns(4000, TAGS.length, 3, 7)
const train = all.map((c) => c.subarray(0, 2000))
const fresh = rowMajor(all.map((c) => c.subarray(2000)))

function scoreRows(m: ReturnType<typeof fitPca>, x: Float64Array) {
  const n = x.length / m.tags.length
  const out = {
    t2: new Float64Array(n),
    q: new Float64Array(n),
    score: new Float64Array(n),
    contrib: new Float64Array(x.length),
  }
  pcaStatistics(m, x, n, out)
  return out
}

describe('fitting the PCA detector', () => {
  it('keeps the few components the tags share and flags about 1 % of fresh normal rows per statistic', () => {
    const m = fitPca(train, TAGS)
    expect(m.components).toBe(3)
    expect(m.explained).toBeGreaterThanOrEqual(0.9)
    expect(m.limitsFrom).toBe('out-of-fold')
    const { t2, q, score } = scoreRows(m, fresh)
    const share = (a: Float64Array, lim: number) => a.filter((v) => v > lim).length / a.length
    expect(share(t2, m.t2Limit)).toBeGreaterThan(0.002)
    expect(share(t2, m.t2Limit)).toBeLessThan(0.03)
    expect(share(q, m.qLimit)).toBeGreaterThan(0.002)
    expect(share(q, m.qLimit)).toBeLessThan(0.03)
    expect(share(score, 1)).toBeLessThan(0.05)
  })

  it('raises T² for a move along the plant plane and Q for a move off it', () => {
    const m = fitPca(train, TAGS)
    const F = TAGS.length
    const k = m.components
    // Five standard deviations along the first component, in raw units: inside the plane.
    const along = Float64Array.from(
      m.mean,
      (mu, j) => mu + 5 * Math.sqrt(m.eigenvalues[0]!) * m.loadings[j * k]! * m.std[j]!,
    )
    // One tag alone off by 6 of its standard deviations: breaks the correlation.
    const off = Float64Array.from(m.mean, (mu, j) => mu + (j === 5 ? 6 * m.std[j]! : 0))
    const r = scoreRows(m, Float64Array.from([...along, ...off]))
    expect(r.t2[0]).toBeCloseTo(25, 6)
    expect(r.q[0]).toBeLessThan(1e-9)
    expect(r.q[1]).toBeGreaterThan(m.qLimit)
    expect(r.score[1]).toBeGreaterThan(1)
    expect(r.contrib.subarray(F, 2 * F).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12)
  })

  it('points its contributions at the sensor that drifted', () => {
    const m = fitPca(train, TAGS)
    const F = TAGS.length
    const drifted = Float64Array.from(
      fresh.subarray(0, 200 * F),
      (v, i) => v + (i % F === 6 ? 8 * m.std[6]! : 0),
    )
    const { score, contrib } = scoreRows(m, drifted)
    let flagged = 0
    let blamed = 0
    for (let i = 0; i < 200; i++) {
      if (score[i]! > 1) flagged++
      const row = Array.from(contrib.subarray(i * F, i * F + F))
      if (row.indexOf(Math.max(...row)) === 6) blamed++
    }
    expect(flagged).toBeGreaterThan(190)
    expect(blamed).toBeGreaterThan(190)
  })

  it('leaves out rows with a missing value and scales a tag flat in training by 1', () => {
    const cols = train.map((c) => c.slice())
    cols[2]![10] = NaN
    cols[4]![11] = NaN
    cols.push(new Float64Array(2000).fill(3.5))
    const m = fitPca(cols, [...TAGS, 'setpoint'])
    expect(m.training).toMatchObject({ rows: 1998, skippedRows: 2, flatTags: ['setpoint'] })
    expect(m.std[8]).toBe(1)
    const row = Float64Array.from({ length: 9 }, (_, j) => (j < 8 ? m.mean[j]! : 4.5))
    const r = scoreRows(m, row)
    expect(r.q[0]).toBeGreaterThan(m.qLimit)
    expect(r.contrib[8]).toBeGreaterThan(0.9)
    const nan = scoreRows(
      m,
      Float64Array.from({ length: 9 }, (_, j) => (j === 3 ? NaN : m.mean[j]!)),
    )
    expect(nan.score[0]).toBeNaN()
  })

  it('keeps exactly the components asked for, and sets limits in-sample when rows are too few to fold', () => {
    expect(fitPca(train, TAGS, { components: 5 }).components).toBe(5)
    const few = fitPca(
      train.map((c) => c.subarray(0, 40)),
      TAGS,
    )
    expect(few.limitsFrom).toBe('in-sample')
  })

  it('refuses too few rows and options out of range, naming what is wrong', () => {
    expect(() =>
      fitPca(
        train.map((c) => c.subarray(0, 8)),
        TAGS,
      ),
    ).toThrow(/8 complete rows of 8 tags .* at least 20/)
    expect(() => fitPca(train, TAGS, { variance: 1.5 })).toThrow(/variance 1.5 is not in \(0, 1\]/)
    expect(() => fitPca(train, TAGS, { percentile: 100 })).toThrow(/percentile 100/)
    expect(() => fitPca(train, TAGS, { components: 9 })).toThrow(/components 9 is not a whole number in 1..8/)
    expect(() => fitPca([train[0]!, train[1]!.subarray(1)], ['a', 'b'])).toThrow(/tag "b" has 1999 rows/)
  })
})

describe('percentile', () => {
  it('interpolates between order statistics as numpy does', () => {
    const v = Float64Array.from([5, 1, 4, 2, 3])
    expect(percentile(v, 50)).toBe(3)
    expect(percentile(v, 99)).toBeCloseTo(4.96, 12)
    expect(percentile(v, 12.5)).toBeCloseTo(1.5, 12)
  })
})
