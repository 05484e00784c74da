import { simulator } from './simulator/index.ts'

/** Every source kind, by the `kind` of its config in src/shared/plant.ts SourceConfig. */
export const sourceKinds = { simulator }
