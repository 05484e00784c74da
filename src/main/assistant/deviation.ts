import type { Contributor } from '../../shared/assistant-channels.ts'
import type { SeriesBlock } from '../../shared/contract.ts'
import type { TagConfig } from '../../shared/plant.ts'

/** |z| at which a tag counts as moved away from its normal. */
export const MOVED_Z = 2

export interface TagStats {
  mean: number
  std: number
  n: number
}

/**
 * Mean and standard deviation of each tag over a stretch of history. Raw blocks give exact
 * figures; a decimated block (more samples than asked for) is summarised by its buckets'
 * midpoints, which keeps the mean and understates the spread a little.
 */
export function blockStats(b: SeriesBlock): (TagStats | null)[] {
  return b.tags.map((_, k) => {
    const lo = b.min[k]!
    const hi = b.max[k]!
    let n = 0
    let sum = 0
    let sq = 0
    for (let i = 0; i < lo.length; i++) {
      const x = b.raw ? lo[i]! : (lo[i]! + hi[i]!) / 2
      if (x !== x) continue
      n++
      sum += x
      sq += x * x
    }
    if (n < 2) return null
    const mean = sum / n
    return { mean, std: Math.sqrt(Math.max(0, sq / n - mean * mean)), n }
  })
}

/** The newest value of each tag in a block (null: none). */
export function lastValues(b: SeriesBlock): (number | null)[] {
  return b.tags.map((_, k) => {
    const v = b.raw ? b.min[k]! : b.max[k]!
    for (let i = v.length - 1; i >= 0; i--) if (v[i]! === v[i]!) return v[i]!
    return null
  })
}

/**
 * A tag's deviation from its own normal. A tag that never moves (std 0) is measured against
 * 1 % of its instrument span, so a flat tag stepping away still counts and noise-free
 * simulated tags do not divide by zero.
 */
export function deviation(
  tag: TagConfig,
  value: number | null,
  normal: TagStats | null,
  share: number | null,
  normalShare: number | null,
): Contributor {
  const floor = 0.01 * (tag.max - tag.min)
  const std = normal ? Math.max(normal.std, floor) : null
  const z = value !== null && normal && std ? (value - normal.mean) / std : null
  const direction = z === null ? 'normal' : z >= MOVED_Z ? 'high' : z <= -MOVED_Z ? 'low' : 'normal'
  return {
    tag: tag.id,
    name: tag.name ?? tag.id.replace(/_/g, ' '),
    unit: tag.unit,
    share,
    normalShare,
    value,
    normalMean: normal?.mean ?? null,
    normalStd: normal ? normal.std : null,
    z,
    direction,
    limit: nearestLimit(tag, direction),
  }
}

/** The configured limit on the side the tag moved to: the alarm limits first, then the critical one. */
function nearestLimit(tag: TagConfig, direction: Contributor['direction']): Contributor['limit'] {
  const a = tag.alarms
  if (direction === 'high') {
    if (a?.H) return { name: 'H', value: a.H.value }
    if (a?.HH) return { name: 'HH', value: a.HH.value }
    if (tag.critical?.above !== undefined) return { name: 'critical', value: tag.critical.above }
  }
  if (direction === 'low') {
    if (a?.L) return { name: 'L', value: a.L.value }
    if (a?.LL) return { name: 'LL', value: a.LL.value }
    if (tag.critical?.below !== undefined) return { name: 'critical', value: tag.critical.below }
  }
  return null
}
