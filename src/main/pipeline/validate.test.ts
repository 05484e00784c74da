import { describe, expect, it } from 'vitest'
import { Q } from '../../shared/quality.ts'
import type { TagConfig } from '../../shared/plant.ts'
import { createValidator, validateBatch } from './validate.ts'

const tag: TagConfig = {
  id: 'Bearing_Temperature_C',
  unit: '°C',
  min: -20,
  max: 150,
  maxRatePerS: 5,
  stuckAfterS: 3,
}

function run(values: number[], stepMs = 1000, validator = createValidator([tag]), t0 = 0) {
  const t = Float64Array.from(values, (_, i) => t0 + i * stepMs)
  const q = new Uint8Array(values.length)
  validateBatch(validator, t, [Float64Array.from(values)], [q])
  return Array.from(q)
}

describe('validateBatch', () => {
  it('marks a reading outside the instrument range but keeps it', () => {
    const v = Float64Array.from([50, 200, 50.5])
    const q = new Uint8Array(3)
    validateBatch(createValidator([tag]), Float64Array.from([0, 1000, 2000]), [v], [q])
    expect(q[1]! & Q.OUT_OF_RANGE).toBeTruthy()
    expect(v[1]).toBe(200)
  })

  it('marks NaN and infinities as missing and leaves the next good value good', () => {
    expect(run([50, NaN, Infinity, 50.2])).toEqual([0, Q.MISSING, Q.MISSING, 0])
  })

  it('marks a step faster than the tag allows per second as a rate fault', () => {
    expect(run([50, 50.5, 60, 60.3])).toEqual([0, 0, Q.RATE, 0])
  })

  it('judges rows a few ms apart over 100 ms: noise is not a rate fault, a step still is', () => {
    // A row 20 ms after the last (a status change between scans): 0.2 °C of noise is 10 °C/s
    // over 20 ms, twice the tag's limit, but 2 °C/s over the 100 ms a rate is judged over.
    expect(run([50, 50.2, 50.2], 20)).toEqual([0, 0, 0])
    expect(run([50, 51, 51], 20)).toEqual([0, Q.RATE, 0])
    // Scans 100 ms apart and more are judged as they always were.
    expect(run([50, 50.6], 100)).toEqual([0, Q.RATE])
    expect(run([50, 50.4], 100)).toEqual([0, 0])
  })

  it('allows larger steps when samples are further apart in time', () => {
    expect(run([50, 60], 5000)).toEqual([0, 0])
  })

  it('marks a value frozen for longer than stuckAfterS as stuck, and clears it when it moves', () => {
    expect(run([50, 50, 50, 50, 50, 51])).toEqual([0, 0, 0, Q.STUCK, Q.STUCK, 0])
  })

  it('carries state across batches so a stuck value spanning two batches is caught', () => {
    const val = createValidator([tag])
    expect(run([50, 50, 50], 1000, val, 0)).toEqual([0, 0, 0])
    expect(run([50, 50], 1000, val, 3000)).toEqual([Q.STUCK, Q.STUCK])
  })

  it('never marks a tag without stuckAfterS as stuck', () => {
    const flat = createValidator([{ ...tag, stuckAfterS: undefined }])
    expect(run([1, 1, 1, 1, 1, 1], 1000, flat)).toEqual([0, 0, 0, 0, 0, 0])
  })
})
