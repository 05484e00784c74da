import { http } from '../ingest/http-source.ts'
import { mqtt } from './mqtt/index.ts'
import { opcua } from './opcua/index.ts'
import { replay } from './replay/index.ts'
import { simulator } from './simulator/index.ts'

/** Every source kind, by the `kind` of its config in src/shared/plant.ts SourceConfig. */
export const sourceKinds = { simulator, mqtt, replay, http, opcua }
