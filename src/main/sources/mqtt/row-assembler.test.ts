import { describe, expect, it } from 'vitest'
import { RowAssembler } from './row-assembler.ts'

/** Feeds full rows of `tags` values (value = t / 1000 + k) at the given times. */
function feed(r: RowAssembler, times: number[], tags = 2) {
  for (const t of times) for (let k = 0; k < tags; k++) r.set(k, t, t / 1000 + k, 0)
}
const rows = (r: RowAssembler) => {
  const b = r.take('A', 1e12)
  return b ? Array.from(b.t, (t, i) => [t, ...b.values.map((v) => v[i]!)]) : []
}

describe('row assembler', () => {
  it('closes a row as soon as every tag has a value for its time, in tag order', () => {
    const r = new RowAssembler(2, 1000)
    r.set(1, 1000, 11, 0)
    expect(r.take('A', 0)).toBeNull()
    r.set(0, 1000, 10, 0)
    const b = r.take('A', 0)!
    expect(b.assetId).toBe('A')
    expect(Array.from(b.t)).toEqual([1000])
    expect(b.values.map((v) => v[0])).toEqual([10, 11])
  })

  it('holds a partial row until holdMs passed, then sends it with the other tags held at their last value', () => {
    const r = new RowAssembler(2, 200)
    feed(r, [1000])
    expect(Array.from(r.take('A', 0)!.t)).toEqual([1000])
    r.set(0, 2000, 5, 0)
    expect(r.take('A', 100)).toBeNull()
    const b = r.take('A', 250)!
    expect(Array.from(b.t)).toEqual([2000])
    expect(b.values[0]![0]).toBe(5)
    expect(b.values[1]![0]).toBe(2) // held from t=1000
  })

  it('drops duplicates and values older than the last row sent, and counts them', () => {
    const r = new RowAssembler(2, 0)
    feed(r, [1000, 2000])
    feed(r, [2000, 1500])
    feed(r, [3000])
    expect(rows(r).map((x) => x[0])).toEqual([1000, 2000, 3000])
    expect(r.late).toBe(4)
  })

  it('marks a gap with one MISSING row where the first lost sample was due', () => {
    const r = new RowAssembler(2, 0)
    feed(r, [1000, 2000, 3000, 4000])
    r.interrupt()
    feed(r, [9000, 10_000])
    const got = rows(r)
    expect(got.map((x) => x[0])).toEqual([1000, 2000, 3000, 4000, 5000, 9000, 10_000])
    expect(got[4]!.slice(1).every((v) => Number.isNaN(v))).toBe(true)
    expect(r.gapsMarked).toBe(1)
  })

  it('marks nothing when the feed lost no sample across an interruption', () => {
    const r = new RowAssembler(2, 0)
    feed(r, [1000, 2000, 3000])
    r.interrupt()
    feed(r, [4000, 5000])
    expect(rows(r).some((x) => Number.isNaN(x[1]))).toBe(false)
    expect(r.gapsMarked).toBe(0)
  })

  it('forgets every value when the node dies, so a partial update after it is MISSING elsewhere', () => {
    const r = new RowAssembler(2, 0)
    feed(r, [1000])
    r.invalidate()
    r.set(0, 2000, 7, 0)
    const b = r.take('A', 1)!
    expect(b.values[0]![1]).toBe(7)
    expect(b.values[1]![1]).toBeNaN()
  })

  it('grows its buffers past the first 64 rows', () => {
    const r = new RowAssembler(3, 0)
    feed(
      r,
      Array.from({ length: 500 }, (_, i) => (i + 1) * 100),
      3,
    )
    const b = r.take('A', 0)!
    expect(b.t.length).toBe(500)
    expect(b.values[2]![499]).toBe(50 + 2)
  })
})
