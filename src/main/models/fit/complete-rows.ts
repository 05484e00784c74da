import { VigilError } from '../../../shared/errors.ts'

/**
 * The training rows of a fit that have a value for every tag, row-major [n][F], with each
 * tag's range over them and where each kept row sat among the columns' rows (a window of
 * consecutive rows must not bridge a row left out).
 */
export function completeRows(cols: Float64Array[], tags: string[]) {
  const F = cols.length
  if (F === 0 || F !== tags.length)
    throw new VigilError('bad-request', `fit: ${F} columns for ${tags.length} tags`)
  const N = cols[0]!.length
  for (let j = 0; j < F; j++)
    if (cols[j]!.length !== N)
      throw new VigilError(
        'bad-request',
        `fit: tag "${tags[j]}" has ${cols[j]!.length} rows, "${tags[0]}" has ${N}`,
      )
  const x = new Float64Array(N * F)
  const at = new Int32Array(N)
  const min = new Float64Array(F).fill(Infinity)
  const max = new Float64Array(F).fill(-Infinity)
  let n = 0
  for (let i = 0; i < N; i++) {
    let ok = true
    for (let j = 0; j < F; j++) if (Number.isNaN(cols[j]![i]!)) ok = false
    if (!ok) continue
    for (let j = 0; j < F; j++) {
      const v = cols[j]![i]!
      x[n * F + j] = v
      if (v < min[j]!) min[j] = v
      if (v > max[j]!) max[j] = v
    }
    at[n++] = i
  }
  return { x: x.subarray(0, n * F), n, at: at.subarray(0, n), rows: N, min, max }
}
