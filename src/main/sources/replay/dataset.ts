/** Rows of data in the replaying asset's tag order; NaN where a tag has no value. */
export interface ReplayRows {
  t: Float64Array
  values: Float64Array[]
}

/** Something a replay plays: a CSV file or an asset's stored history. */
export interface ReplayDataset {
  /** Data time of the first and the last row. */
  readonly from: number
  readonly to: number
  /** Rows with from <= t < to, ascending. Reads mostly move forward; a read behind the last starts over. */
  read(from: number, to: number): Promise<ReplayRows>
  close(): Promise<void>
  /** Something to say in the source's status (bad rows skipped, tags the data lacks). */
  note(): string | undefined
}

/** Rows in the asset's tag order from columns that feed `slots` (asset tag index per column). */
export function toAssetOrder(
  t: Float64Array,
  columns: Float64Array[],
  slots: number[],
  tags: number,
): ReplayRows {
  const values = Array.from({ length: tags }, () => new Float64Array(t.length).fill(NaN))
  columns.forEach((c, k) => values[slots[k]!]!.set(c.subarray(0, t.length)))
  return { t, values }
}

export function concatRows(parts: ReplayRows[], tags: number): ReplayRows {
  if (parts.length === 1) return parts[0]!
  const n = parts.reduce((s, p) => s + p.t.length, 0)
  const t = new Float64Array(n)
  const values = Array.from({ length: tags }, () => new Float64Array(n))
  let o = 0
  for (const p of parts) {
    t.set(p.t, o)
    p.values.forEach((v, k) => values[k]!.set(v, o))
    o += p.t.length
  }
  return { t, values }
}
