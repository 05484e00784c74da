import { describe, expect, it } from 'vitest'
import { ColumnRing } from '../state/column-ring.ts'
import { LiveEnvelope } from './live-envelope.ts'

const WINDOW_MS = 600_000
const HZ = 10

/** Ten minutes and a half of 10 Hz rows of two tags: a noisy level, and a ramp with gaps. */
function rows(n: number, seed = 1) {
  // A fixed pseudo-random sequence (a sine's fractional digits): the same rows every run.
  const r = (i: number) => {
    const s = Math.sin((i + 1) * 12.9898 * seed) * 43758.5453
    return s - Math.floor(s)
  }
  const t = Float64Array.from({ length: n }, (_, i) => 1_700_000_000_000 + (i * 1000) / HZ)
  const a = Float64Array.from({ length: n }, (_, i) => 50 + r(i))
  const b = Float64Array.from({ length: n }, (_, i) => (i % 997 < 20 ? NaN : i))
  return { t, cols: [a, b] }
}

function ringWith(n: number, seed?: number): ColumnRing {
  const ring = new ColumnRing(2, 24 * 3600 * HZ)
  const { t, cols } = rows(n, seed)
  ring.append(t, cols)
  return ring
}

/** What the buckets must hold, worked out independently from the rows, bucket by bucket. */
function bruteEnvelope(ring: ColumnRing, col: number, windowMs: number, px: number) {
  const bucketMs = windowMs / Math.floor(px / 2)
  const to = ring.lastT()
  const first = Math.floor((to - windowMs) / bucketMs)
  const out = new Map<number, { lo: number; hi: number }>()
  for (let i = 0; i < ring.length; i++) {
    const t = ring.t[ring.slot(i)]!
    const b = Math.floor(t / bucketMs)
    if (b < first) continue
    const v = ring.values[col]![ring.slot(i)]!
    const e = out.get(b) ?? { lo: Infinity, hi: -Infinity }
    if (Number.isFinite(v)) {
      e.lo = Math.min(e.lo, v)
      e.hi = Math.max(e.hi, v)
    }
    out.set(b, e)
  }
  return [...out.values()].flatMap((e) => (e.lo <= e.hi ? [e.lo, e.hi] : [null, null]))
}

describe('LiveEnvelope', () => {
  it('hands the rows themselves while the window holds no more than one per pixel', () => {
    const ring = ringWith(500)
    const e = new LiveEnvelope([1, 0]).fill(ring, WINDOW_MS, 900)
    expect(e.decimated).toBe(false)
    expect(e.length).toBe(500)
    expect(e.data[0][0]).toBe(ring.t[ring.slot(0)])
    // Column 1 first, as asked; its NaN rows are null gaps.
    expect(e.data[1]!.slice(0, 21)).toEqual([...Array<null>(20).fill(null), 20])
    expect(e.data[2]![499]).toBe(ring.latest(0))
  })

  it('draws a full 10-minute window of 10 Hz rows as at most about one point per pixel, extremes intact', () => {
    const ring = ringWith(6300)
    // A one-sample spike in the middle of the window.
    const spike = ring.slot(3000)
    ring.values[0]![spike] = 500
    const px = 840
    const e = new LiveEnvelope([0, 1]).fill(ring, WINDOW_MS, px)
    expect(e.decimated).toBe(true)
    expect(e.length).toBeLessThanOrEqual(px + 4)
    expect(e.length).toBeGreaterThanOrEqual(px - 4)
    expect(Math.max(...(e.data[1] as number[]))).toBe(500)
    expect(e.data[1]).toEqual(bruteEnvelope(ring, 0, WINDOW_MS, px))
    expect(e.data[2]).toEqual(bruteEnvelope(ring, 1, WINDOW_MS, px))
    const x = e.data[0]
    for (let i = 1; i < x.length; i++) expect(x[i]).toBeGreaterThan(x[i - 1]!)
  })

  it('folding rows in as they arrive draws exactly what one fill of the whole ring draws', () => {
    const all = rows(9000, 7)
    const ring = new ColumnRing(2, 24 * 3600 * HZ)
    const live = new LiveEnvelope([0, 1])
    // Live batches of one to seven rows, drawn after each.
    for (let i = 0; i < 9000;) {
      const n = 1 + (i % 7)
      ring.append(all.t, all.cols, undefined, i, Math.min(9000, i + n))
      live.fill(ring, WINDOW_MS, 840)
      i += n
    }
    const once = new LiveEnvelope([0, 1]).fill(ring, WINDOW_MS, 840)
    expect(live.data).toEqual(once.data)
    expect(live.decimated).toBe(true)
  })

  it('starts over when the ring is refilled from a snapshot or the plot is resized', () => {
    const ring = ringWith(7000, 1)
    const e = new LiveEnvelope([0])
    e.fill(ring, WINDOW_MS, 840)
    ring.clear()
    const fresh = rows(7000, 2)
    ring.append(fresh.t, fresh.cols)
    expect(e.fill(ring, WINDOW_MS, 840).data[1]).toEqual(bruteEnvelope(ring, 0, WINDOW_MS, 840))
    const narrow = e.fill(ring, WINDOW_MS, 400)
    expect(narrow.length).toBeLessThanOrEqual(404)
    expect(narrow.data[1]).toEqual(bruteEnvelope(ring, 0, WINDOW_MS, 400))
  })

  it('reuses its arrays from frame to frame', () => {
    const ring = ringWith(7000)
    const e = new LiveEnvelope([0, 1])
    const [x, a] = e.data
    e.fill(ring, WINDOW_MS, 840)
    ring.append(new Float64Array([ring.lastT() + 100]), [new Float64Array([1]), new Float64Array([2])])
    e.fill(ring, WINDOW_MS, 840)
    expect(e.data[0]).toBe(x)
    expect(e.data[1]).toBe(a)
    expect(e.length).toBeGreaterThan(0)
  })
})
