import type { TagConfig } from '../../../shared/plant.ts'

export interface UnitGroup {
  unit: string
  title: string
  /** Positions in the asset's tag order. */
  indexes: number[]
}

/**
 * Tags grouped by unit in the order they first appear, so tags that share an axis share a
 * chart. A group's title is its tags' common last word ("Bearing temperature", "Casing
 * temperature" -> "Temperature"), else the single tag's name, else the unit.
 */
export function groupByUnit(tags: TagConfig[]): UnitGroup[] {
  const groups = new Map<string, number[]>()
  tags.forEach((t, i) => {
    const g = groups.get(t.unit)
    if (g) g.push(i)
    else groups.set(t.unit, [i])
  })
  return [...groups].map(([unit, indexes]) => {
    const names = indexes.map((i) => tags[i]!.name ?? tags[i]!.id)
    if (names.length === 1) return { unit, title: names[0]!, indexes }
    const last = names.map((n) => n.trim().split(/\s+/).pop()!.toLowerCase())
    const common = last.every((w) => w === last[0]) ? last[0]! : ''
    return { unit, title: common ? common[0]!.toUpperCase() + common.slice(1) : unit, indexes }
  })
}
