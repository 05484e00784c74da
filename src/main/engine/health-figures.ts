import type { Health } from '../../shared/contract.ts'

type AssetFlowRow = NonNullable<Health['assets']>[number]

/**
 * Samples received per asset and the newest sample's time, for the health view's per-source
 * rates (it derives samples/s from two successive answers). Counted per batch, not per
 * sample: one map lookup and two writes however large the batch.
 */
export class AssetFlow {
  private readonly rows = new Map<string, AssetFlowRow>()

  constructor(assetIds: string[]) {
    for (const id of assetIds) this.rows.set(id, { assetId: id, samplesIn: 0, lastSampleAt: null })
  }

  add(assetId: string, t: Float64Array): void {
    const n = t.length
    if (n === 0) return
    let row = this.rows.get(assetId)
    if (!row) {
      // An imported or replayed asset the plant does not list still shows up.
      row = { assetId, samplesIn: 0, lastSampleAt: null }
      this.rows.set(assetId, row)
    }
    row.samplesIn += n
    const last = t[n - 1]!
    if (row.lastSampleAt === null || last > row.lastSampleAt) row.lastSampleAt = last
  }

  /** Copies, so an answer in flight never changes under its reader. */
  list(): AssetFlowRow[] {
    return [...this.rows.values()].map((r) => ({ ...r }))
  }
}

/** The engine process's memory: resident set, V8 heap, and memory held outside the heap (typed arrays). */
export function memoryNow(): NonNullable<Health['memory']> {
  const m = process.memoryUsage()
  return {
    rss: m.rss,
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
  }
}
