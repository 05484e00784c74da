import { VigilError } from '../../shared/errors.ts'

/*
 * A production unit (a cast) lasts as long as it lasts: 3 minutes or 7, at whatever rate the
 * plant samples. A defect model takes a fixed number of steps, so the unit's columns are
 * resampled onto `steps` instants evenly spaced from its first sample's time to its last's,
 * by linear interpolation in time. Training (models/caster-defect/make-data.ts) calls this
 * same function, so the engine and the training data agree to the last bit; train.py checks
 * numpy's np.interp gives the same values, which is the rule written out below.
 */

/**
 * Resamples one unit to `steps` rows, row-major [steps][tags] (the ONNX [window, tags] order),
 * into `out` (allocated when not given). Step k is at t0 + (t1 - t0) * k / (steps - 1).
 *
 * A tag's NaN samples are skipped: a step between two valid samples interpolates across the
 * gap, a step before the first or after the last valid sample holds that sample's value (as
 * np.interp does), and a tag with no valid sample at all is NaN at every step, for the caller
 * to refuse or report. `what` names the data in errors.
 */
export function resampleSequence(
  t: ArrayLike<number>,
  cols: readonly ArrayLike<number>[],
  steps: number,
  what = 'sequence',
  out: Float64Array = new Float64Array(steps * cols.length),
): Float64Array {
  const n = t.length
  const T = cols.length
  if (!Number.isInteger(steps) || steps < 2)
    throw new VigilError(
      'bad-request',
      `${what}: cannot resample to ${steps} steps (need an integer of 2 or more)`,
    )
  if (n === 0) throw new VigilError('bad-request', `${what}: has no samples to resample`)
  if (out.length !== steps * T)
    throw new VigilError(
      'bad-request',
      `${what}: output holds ${out.length} values, not ${steps} steps x ${T} tags = ${steps * T}`,
    )
  for (let j = 0; j < T; j++)
    if (cols[j]!.length !== n)
      throw new VigilError(
        'bad-request',
        `${what}: tag ${j} has ${cols[j]!.length} values for ${n} timestamps`,
      )
  for (let i = 0; i < n; i++) {
    // Also refuses NaN: a sample without a time cannot be placed.
    if (!Number.isFinite(t[i]!))
      throw new VigilError('bad-request', `${what}: timestamp ${i} is ${t[i]}, not a finite time`)
    if (i > 0 && t[i]! < t[i - 1]!)
      throw new VigilError(
        'bad-request',
        `${what}: timestamps go backwards at sample ${i} (${t[i]} after ${t[i - 1]})`,
      )
  }

  const t0 = t[0]!
  const span = t[n - 1]! - t0
  for (let j = 0; j < T; j++) {
    const v = cols[j]!
    let i = 0 // first sample after the current step
    let a = -1 // last valid sample at or before the step
    let b = 0 // first valid sample at or after i
    for (let k = 0; k < steps; k++) {
      const tq = t0 + (span * k) / (steps - 1)
      while (i < n && t[i]! <= tq) {
        if (v[i] === v[i]) a = i
        i++
      }
      if (b < i) b = i
      while (b < n && v[b] !== v[b]) b++
      let y: number
      if (a < 0) y = b < n ? v[b]! : NaN
      else if (b >= n || t[a] === tq) y = v[a]!
      // np.interp's arithmetic, in its order, so python reproduces every value exactly.
      else y = ((v[b]! - v[a]!) / (t[b]! - t[a]!)) * (tq - t[a]!) + v[a]!
      out[k * T + j] = y
    }
  }
  return out
}
