import { describe, expect, it } from 'vitest'
import { IngestSchemaError, MAX_ROWS, readRows, readTarget } from './ingest-body.ts'

const tags = ['Motor_RPM', 'Vibration_mm_s'] as const
const now = Date.UTC(2025, 0, 31, 8, 5)
const rows = (body: unknown) => readRows(readTarget(body).body, 'PUMP-7', tags, now)
/** The fields named by the refusal, as "field: problem". */
function refused(body: unknown): string[] {
  try {
    rows(body)
  } catch (e) {
    if (e instanceof IngestSchemaError) return e.fields.map((f) => `${f.field}: ${f.problem}`)
    throw e
  }
  throw new Error('the body was accepted')
}

describe('ingest body', () => {
  it('reads one reading, stamping it on arrival when it has no time, a missing tag as NaN', () => {
    const r = rows({
      asset: 'PUMP-7',
      timestamp: '2025-01-31T08:00:00Z',
      Motor_RPM: 2900,
      Vibration_mm_s: null,
    })
    expect(Array.from(r.t)).toEqual([Date.UTC(2025, 0, 31, 8)])
    expect(r.values[0]![0]).toBe(2900)
    expect(r.values[1]![0]).toBeNaN()
    expect(Array.from(rows({ Motor_RPM: 1 }).t)).toEqual([now])
  })

  it('reads a batch as readings or as columns, the same rows either way', () => {
    const t0 = Date.UTC(2025, 0, 31, 8)
    const a = rows({
      device: 'gw-1',
      readings: [
        { timestamp: t0, Motor_RPM: 1, Vibration_mm_s: 2 },
        { timestamp: '2025-01-31T09:00:01+01:00', Motor_RPM: 3 },
      ],
    })
    const b = rows({ timestamp: [t0, t0 + 1000], Motor_RPM: [1, 3], Vibration_mm_s: [2, null] })
    expect(a).toEqual(b)
    expect(Array.from(a.t)).toEqual([t0, t0 + 1000])
  })

  it('names every bad field: unknown tag, wrong type, bad time, epoch seconds, order, and empty readings', () => {
    expect(refused({ Motor_RPM: 'fast', Impeller_Color: 3 })).toEqual([
      'Motor_RPM: must be a finite number or null',
      'Impeller_Color: is not a tag of asset PUMP-7 (its tags: Motor_RPM, Vibration_mm_s)',
    ])
    expect(refused({ timestamp: '2025-01-31 08:00', Motor_RPM: 1 })).toEqual([
      'timestamp: must be ISO 8601 with a zone (2025-01-31T08:00:00Z) or epoch milliseconds',
    ])
    expect(refused({ timestamp: 1738310400, Motor_RPM: 1 })[0]).toMatch(/looks like epoch seconds/)
    expect(refused({ timestamp: now + 3_600_000, Motor_RPM: 1 })[0]).toMatch(/ahead of this server's clock/)
    expect(
      refused({
        readings: [
          { timestamp: now, Motor_RPM: 1 },
          { timestamp: now - 1, Motor_RPM: 2 },
        ],
      }),
    ).toEqual(['readings[1].timestamp: must be after the reading before it'])
    expect(refused({ readings: [{ timestamp: now }], Motor_RPM: 1 })).toEqual([
      'Motor_RPM: belongs inside each reading when "readings" is given',
    ])
    expect(refused({ timestamp: [now], Motor_RPM: [1, 2] })).toEqual([
      'Motor_RPM: must be an array of 1 values, one per timestamp',
    ])
    expect(refused({ readings: [{ timestamp: now }] })).toEqual(['readings[0]: holds no tag values'])
    expect(refused({ timestamp: now })).toEqual([': holds no tag values'])
    expect(refused({ readings: [] })).toEqual(['readings: must be a non-empty array of readings'])
  })

  it('refuses a body that is not an object, a bad asset name, and more readings than a request may hold', () => {
    expect(() => readTarget([1])).toThrow(/body: must be a JSON object/)
    expect(() => readTarget({ asset: 7 })).toThrow(/asset: must be a non-empty string/)
    const many = {
      readings: Array.from({ length: MAX_ROWS + 1 }, (_, i) => ({ timestamp: now - 1e6 + i, Motor_RPM: i })),
    }
    expect(refused(many)).toEqual([`readings: at most ${MAX_ROWS} readings per request; got ${MAX_ROWS + 1}`])
  })
})
