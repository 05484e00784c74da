import type { PlantConfig } from '../../shared/plant.ts'

/**
 * Operator positions: the console (and the person at it) that answers a group of assets.
 * ISA-18.2 judges alarm load per position, because a flood is about what one operator can
 * handle, not the plant's total. An asset without `position` is at the default one, so a
 * plant that names none is one position, as a single control room is.
 */
export const DEFAULT_POSITION = 'main'

/** Each asset's position, as the plant configuration names it. */
export function positionsOf(plant: PlantConfig): Map<string, string> {
  return new Map(plant.assets.map((a) => [a.id, a.position ?? DEFAULT_POSITION]))
}
