/*
 * The load generator's plant: N copies of the demo pump P-101 (its ten tags, limits and the
 * pump autoencoder), each fed by its own live simulator at R Hz with its own seed, so every
 * asset is a different pump in normal running and the whole engine (validation, features,
 * the model on every new window, alarms, the store, the hub) carries N x R readings a second.
 */
import { readFileSync } from 'node:fs'
import { PlantConfig } from '../../src/shared/plant.ts'
import { demoPlantPath } from '../../src/main/paths.ts'

export interface LoadSpec {
  pumps: number
  /** Readings (one value of each of the 10 tags) per second per pump; the simulator allows up to 100. */
  rateHz: number
  seed?: number
}

export function loadPlant(spec: LoadSpec): PlantConfig {
  const demo = PlantConfig.parse(JSON.parse(readFileSync(demoPlantPath(), 'utf8')))
  const pump = demo.assets.find((a) => a.id === 'P-101')
  if (!pump) throw new Error(`${demoPlantPath()}: no asset P-101 to copy`)
  const seed = spec.seed ?? 1
  return PlantConfig.parse({
    name: `Load: ${spec.pumps} pumps x ${pump.tags.length} tags at ${spec.rateHz} Hz`,
    assets: Array.from({ length: spec.pumps }, (_, i) => {
      const id = `P-${String(i + 1).padStart(3, '0')}`
      return {
        ...pump,
        id,
        name: `Pump ${id}`,
        source: { kind: 'simulator', model: 'pump', seed: seed * 100_003 + i, rateHz: spec.rateHz, speed: 1 },
      }
    }),
  })
}

/** Readings per second the plant produces, and values (readings x tags). */
export const readingsPerS = (s: LoadSpec) => s.pumps * s.rateHz
