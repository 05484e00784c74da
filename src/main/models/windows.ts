import { VigilError } from '../../shared/errors.ts'

/*
 * From columns (one Float64Array per tag) to what a sequence model eats: windows row-major
 * [n][window][tags] in the card's tag order. For offline scoring (CLI, tests, benchmarks);
 * the live pipeline keeps its own ring buffers.
 */

/** The columns of `tags`/`values` in the order of `cardTags`; `what` names the data in the error. */
export function columnsFor(
  cardTags: readonly string[],
  tags: readonly string[],
  values: Float64Array[],
  what: string,
) {
  return cardTags.map((tag) => {
    const k = tags.indexOf(tag)
    if (k < 0) throw new VigilError('bad-request', `${what} has no tag "${tag}" that the model needs`)
    return values[k]!
  })
}

/** Every window of `window` rows, `stride` rows apart; window k ends at row ends[k]. */
export function slideWindows(cols: Float64Array[], window: number, stride = 1) {
  const rows = cols[0]?.length ?? 0
  const T = cols.length
  const n = rows < window ? 0 : Math.floor((rows - window) / stride) + 1
  const data = new Float64Array(n * window * T)
  const ends = new Int32Array(n)
  for (let k = 0, i = 0; k < n; k++) {
    const first = k * stride
    ends[k] = first + window - 1
    for (let r = first; r < first + window; r++) for (let j = 0; j < T; j++) data[i++] = cols[j]![r]!
  }
  return { data, n, ends }
}
