import type { TagConfig } from '../../shared/plant.ts'
import { Q } from '../../shared/quality.ts'

/**
 * Per-asset validation state: for each tag the last good-or-not value seen, its time, and
 * since when it has been unchanged. Validation marks quality and never drops a value: the
 * raw value is what the store keeps and what an engineer audits later.
 */
export interface Validator {
  tags: TagConfig[]
  lastV: Float64Array
  lastT: Float64Array
  sameSince: Float64Array
}

export function createValidator(tags: TagConfig[]): Validator {
  const n = tags.length
  return {
    tags,
    lastV: new Float64Array(n).fill(NaN),
    lastT: new Float64Array(n).fill(NaN),
    sameSince: new Float64Array(n).fill(NaN),
  }
}

/**
 * The shortest time a rate of change is judged over, s. Rows can come closer together than a
 * source's scan: an OPC UA status change or an MQTT message between scans makes a row of its
 * own, tens of ms from the last, and a sensor's ordinary noise over 20 ms reads as a rate
 * many times its physical limit (the OPC UA test flagged a steady bearing temperature so, now
 * and then). Over at least 100 ms, the period of the fastest scan Vigil's sources run, a
 * regular scan is judged exactly as before, and a real step still is: 10 °C in 5 ms is
 * 100 °C/s here.
 */
const MIN_RATE_DT_S = 0.1

/** Fills `quality[k]` for every value of every tag. t is epoch ms ascending. */
export function validateBatch(
  s: Validator,
  t: Float64Array,
  values: Float64Array[],
  quality: Uint8Array[],
): void {
  for (let k = 0; k < s.tags.length; k++) {
    const tag = s.tags[k]!
    const v = values[k]!
    const q = quality[k]!
    const maxRate = tag.maxRatePerS ?? Infinity
    const stuckMs = tag.stuckAfterS === undefined ? Infinity : tag.stuckAfterS * 1000
    let lastV = s.lastV[k]!
    let lastT = s.lastT[k]!
    let sameSince = s.sameSince[k]!
    for (let i = 0; i < t.length; i++) {
      const x = v[i]!
      const ti = t[i]!
      if (x !== x || x === Infinity || x === -Infinity) {
        q[i] = Q.MISSING
        continue
      }
      let flags = 0
      if (x < tag.min || x > tag.max) flags |= Q.OUT_OF_RANGE
      if (lastV === lastV) {
        const dt = (ti - lastT) / 1000
        if (dt > 0 && Math.abs(x - lastV) / Math.max(dt, MIN_RATE_DT_S) > maxRate) flags |= Q.RATE
        // Exact equality on purpose: a live analogue signal always carries some noise, so a
        // repeated identical reading is the mark of a frozen transmitter or a held value.
        if (x === lastV) {
          if (ti - sameSince >= stuckMs) flags |= Q.STUCK
        } else sameSince = ti
      } else sameSince = ti
      q[i] = flags
      lastV = x
      lastT = ti
    }
    s.lastV[k] = lastV
    s.lastT[k] = lastT
    s.sameSince[k] = sameSince
  }
}
