import type { PlantConfig } from '../../shared/plant.ts'
import type { AlarmSystem } from '../alarms/alarm-system.ts'
import type { Handlers } from '../engine/dispatch.ts'
import { checklistsDir } from '../paths.ts'
import type { Store } from '../store/store.ts'
import { explain } from './explain.ts'

export interface AssistantHandlerDeps {
  plant: PlantConfig
  store: Store
  alarms: Pick<AlarmSystem, 'set'>
  /** The newest sample's time of an asset (simulated time runs ahead of the wall clock). */
  lastSampleAt(assetId: string): number | null
  /** Whether a loaded model is a window detector (RUL, defect and policy models have no contributions). */
  isDetector(modelId: string): boolean
  /** Default: resources/checklists. */
  checklistsDir?: string
}

/** The Assistant's channel: explanations made from the store, the alarm set and the checklists. */
export function assistantHandlers(d: AssistantHandlerDeps): Pick<Handlers, 'assistant.explain'> {
  const dir = d.checklistsDir ?? checklistsDir()
  return {
    'assistant.explain': async (req) => {
      // What the writer still holds (the last second of samples and scores) is part of the picture.
      await d.store.flush()
      return explain(
        {
          asset: (id) => d.plant.assets.find((a) => a.id === id),
          isDetector: (id) => d.isDetector(id),
          alarm: (id) => {
            const rec = d.alarms.set.byId.get(id)
            return rec ? d.alarms.set.view(rec) : undefined
          },
          predictions: (r) => d.store.predictions(r),
          scores: (r) => d.store.scores(r),
          range: (r) => d.store.range(r),
          events: (r) => d.store.records.events(r),
          journal: (r) => d.store.records.journalRows(r),
          checklistsDir: dir,
          now: () => d.lastSampleAt(req.assetId) ?? Date.now(),
        },
        req,
      )
    },
  }
}
