import { VigilError } from '../../../shared/errors.ts'
import type { AssetConfig } from '../../../shared/plant.ts'
import type { SourceContext } from '../source.ts'
import { concatRows, toAssetOrder, type ReplayDataset, type ReplayRows } from './dataset.ts'

/** Most rows one history read may return raw; a wider window is read in halves. */
const MAX_ROWS = 200_000

/**
 * An asset's stored history (an imported dataset, or any asset's past) as a replay. Tags are
 * matched by id; the replaying asset's tags the history lacks play as missing.
 */
export async function openHistoryDataset(
  cfg: { assetId: string; from?: number; to?: number },
  asset: AssetConfig,
  ctx: SourceContext | undefined,
): Promise<ReplayDataset> {
  if (!ctx?.history || !ctx.storedAsset)
    throw new VigilError('unavailable', `replay of "${cfg.assetId}": this engine lends no history to sources`)
  const stored = await ctx.storedAsset(cfg.assetId)
  if (!stored || stored.from === null || stored.to === null)
    throw new VigilError(
      'not-found',
      `replay into "${asset.id}": the store holds no history of asset "${cfg.assetId}"`,
    )
  const have = new Set(stored.tags.map((t) => t.id))
  const tags = asset.tags.map((t) => t.id).filter((id) => have.has(id))
  if (tags.length === 0)
    throw new VigilError(
      'bad-request',
      `replay into "${asset.id}": asset "${cfg.assetId}" has none of its tags (${asset.tags.map((t) => t.id).join(', ')})`,
    )
  const slots = tags.map((id) => asset.tags.findIndex((t) => t.id === id))
  const missing = asset.tags.length - tags.length
  const from = cfg.from ?? stored.from
  const to = cfg.to ?? stored.to
  const history = ctx.history

  const read = async (a: number, b: number): Promise<ReplayRows> => {
    if (!(a < b)) return toAssetOrder(new Float64Array(0), [], [], asset.tags.length)
    const block = await history({ assetId: cfg.assetId, tags, from: a, to: b, maxPoints: MAX_ROWS })
    if (block.raw) return toAssetOrder(block.t, block.min, slots, asset.tags.length)
    const mid = a + (b - a) / 2
    return concatRows([await read(a, mid), await read(mid, b)], asset.tags.length)
  }

  return {
    from,
    to,
    read: (a, b) => read(Math.max(a, from), Math.min(b, to + 1)),
    close: async () => {},
    note: () =>
      missing > 0
        ? `${missing} of the asset's tags are not in "${cfg.assetId}" and play as missing`
        : undefined,
  }
}
