import { DataType, DataValue, StatusCodes, type StatusCode } from 'node-opcua'
import { describe, expect, it } from 'vitest'
import { Q } from '../../../shared/quality.ts'
import type { SampleBatch } from '../../../shared/samples.ts'
import { RowAssembler } from '../mqtt/row-assembler.ts'
import { numberOf, qualityOfStatus } from './data-value.ts'
import { Intake } from './intake.ts'

/** A DataValue as node-opcua decodes it from a publish response. */
const dv = (value: unknown, t: number | null, status: StatusCode = StatusCodes.Good) =>
  new DataValue({
    value: { dataType: typeof value === 'string' ? DataType.String : DataType.Double, value },
    statusCode: status,
    ...(t === null ? {} : { sourceTimestamp: new Date(t), serverTimestamp: new Date(t + 3) }),
  })

/** Two tags; one publish is one synchronous pass of add() calls, drained at its end. */
function setup(o: { rowWindowMs?: number; serverTime?: boolean } = {}) {
  const rows = new RowAssembler(2, 0, true)
  const seen: string[] = []
  const intake = new Intake(rows, {
    serverTime: o.serverTime ?? false,
    rowWindowMs: o.rowWindowMs ?? 0,
    notNumeric: (k, v) => seen.push(`tag ${k}: ${String(v)}`),
    lost: (k) => seen.push(`lost ${k}`),
  })
  const publish = async (items: [number, DataValue][]) => {
    for (const [k, d] of items) intake.add(k, d, 999)
    await Promise.resolve()
  }
  const batch = () => rows.take('P-101', Number.MAX_SAFE_INTEGER) as SampleBatch & { quality: Uint8Array[] }
  const table = (b: SampleBatch & { quality: Uint8Array[] }) =>
    Array.from(b.t, (t, i) => [t, ...b.values.map((v) => v[i]), ...b.quality.map((q) => q[i])])
  return { rows, intake, publish, batch, table, seen }
}

describe('OPC UA status as sample quality', () => {
  it('keeps Good, flags Uncertain and drops Bad to MISSING, by severity bits', () => {
    expect(qualityOfStatus(StatusCodes.Good.value)).toBe(Q.GOOD)
    expect(qualityOfStatus(StatusCodes.GoodClamped.value)).toBe(Q.GOOD)
    expect(qualityOfStatus(StatusCodes.UncertainSensorNotAccurate.value)).toBe(Q.UNCERTAIN)
    expect(qualityOfStatus(StatusCodes.UncertainLastUsableValue.value)).toBe(Q.UNCERTAIN)
    expect(qualityOfStatus(StatusCodes.BadSensorFailure.value)).toBe(Q.MISSING)
    expect(qualityOfStatus(StatusCodes.BadCommunicationError.value)).toBe(Q.MISSING)
    expect(qualityOfStatus(0xc0000000)).toBe(Q.MISSING)
  })

  it('reads numbers, booleans and 64-bit integers as numbers, anything else as not a number', () => {
    expect(numberOf(2.5)).toBe(2.5)
    expect(numberOf(true)).toBe(1)
    expect(numberOf([1, 5])).toBe(4294967301)
    expect(numberOf([-1, 0xffffffff])).toBe(-1)
    expect(numberOf(12n)).toBe(12)
    expect(numberOf('12')).toBeNaN()
    expect(numberOf(null)).toBeNaN()
  })
})

describe('turning notifications into rows', () => {
  it('sorts one publish by time, so an item with two queued values makes no other item late', async () => {
    const s = setup()
    // Item by item, as a publish carries them: tag 0 at t=100 and 200, then tag 1 at 100 and 200.
    await s.publish([
      [0, dv(1, 100)],
      [0, dv(2, 200)],
      [1, dv(10, 100)],
      [1, dv(20, 200)],
    ])
    expect(s.table(s.batch())).toEqual([
      [100, 1, 10, 0, 0],
      [200, 2, 20, 0, 0],
    ])
    expect(s.rows.late).toBe(0)
  })

  it('puts values a few ms apart into one row when the server stamps each node on its own', async () => {
    const s = setup({ rowWindowMs: 50 })
    await s.publish([
      [0, dv(1, 1000)],
      [1, dv(10, 1004)],
    ])
    await s.publish([
      [1, dv(20, 1101)],
      [0, dv(2, 1103)],
    ])
    expect(s.table(s.batch())).toEqual([
      [1000, 1, 10, 0, 0],
      [1101, 2, 20, 0, 0],
    ])
  })

  it('carries Uncertain beside its value, Bad as a MISSING value, and says when a node is not numeric', async () => {
    const s = setup()
    await s.publish([
      [0, dv(2950, 100, StatusCodes.UncertainSensorNotAccurate)],
      [1, dv(61.5, 100, StatusCodes.BadSensorFailure)],
    ])
    await s.publish([
      [0, dv('fast', 200)],
      [1, dv(62, 200)],
    ])
    const rows = s.table(s.batch())
    expect(rows[0]).toEqual([100, 2950, NaN, Q.UNCERTAIN, Q.MISSING])
    expect(rows[1]).toEqual([200, NaN, 62, Q.MISSING, Q.GOOD])
    expect(s.seen).toEqual(['tag 0: fast'])
  })

  it('uses the server timestamp when told to, and arrival time when a value carries none', async () => {
    const s = setup({ serverTime: true })
    await s.publish([
      [0, dv(1, 100)],
      [1, dv(2, 100)],
    ])
    const t = setup()
    await t.publish([
      [0, dv(1, null)],
      [1, dv(2, null)],
    ])
    expect(s.batch().t[0]).toBe(103)
    expect(t.batch().t[0]).toBe(999)
  })

  it('marks a gap with one MISSING row after an interruption that lost samples', async () => {
    const s = setup()
    for (let t = 100; t <= 500; t += 100)
      await s.publish([
        [0, dv(t, t)],
        [1, dv(t, t)],
      ])
    s.rows.interrupt()
    await s.publish([
      [0, dv(1200, 1200)],
      [1, dv(1200, 1200)],
    ])
    const rows = s.table(s.batch())
    expect(rows.map((r) => r[0])).toEqual([100, 200, 300, 400, 500, 600, 1200])
    expect(rows[5]).toEqual([600, NaN, NaN, Q.MISSING, Q.MISSING])
  })

  it('treats a queue overflow reported by the server as lost values', async () => {
    const s = setup()
    await s.publish([[0, dv(1, 100, { value: 0x480 } as StatusCode)]])
    expect(s.seen).toEqual(['lost 0'])
  })
})
