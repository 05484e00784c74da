import type { z } from 'zod'
import type { Contract, Method, Req } from '../../shared/contract.ts'
import { VigilError } from '../../shared/errors.ts'
import type {
  ImportedDataset,
  ImportPreview,
  ImportProgress,
  ImportReport,
  ReplayState,
} from '../../shared/import.ts'
import type { SourceHandle } from '../sources/source.ts'
import type { ImportService } from './import-service.ts'

/** What dispatch hands a handler: the request after its schema parsed it (defaults filled in). */
type In<M extends Method> = z.output<Contract[M]['req']>

/** The engine's handlers for the import and replay channels (shared/import-channels.ts). */
export function importHandlers(imports: ImportService, sources: ReadonlyMap<string, SourceHandle>) {
  return {
    'import.preview': (req: Req<'import.preview'>): Promise<ImportPreview> =>
      imports.preview(req as In<'import.preview'>),
    'import.start': (req: Req<'import.start'>): ImportProgress =>
      imports.start(req as In<'import.start'>).progress(),
    'import.progress': ({ jobId }: Req<'import.progress'>): ImportProgress => imports.progress(jobId),
    'import.jobs': (): ImportProgress[] => imports.list(),
    'import.datasets': (req: Req<'import.datasets'>): Promise<ImportedDataset[]> =>
      imports.datasets(req as In<'import.datasets'>),
    'import.cancel': ({ jobId }: Req<'import.cancel'>): Promise<ImportProgress> => imports.cancel(jobId),
    'import.report': ({
      jobId,
    }: Req<'import.report'>): { report: ImportReport; csv: string; path?: string } => imports.report(jobId),
    'replay.control': ({ assetId, action, value }: Req<'replay.control'>): ReplayState => {
      const h = sources.get(assetId)
      if (!h) throw new VigilError('not-found', `no asset "${assetId}" in the plant`)
      const r = h.replay
      if (!r)
        throw new VigilError(
          'bad-request',
          `asset "${assetId}" is not replayed; only a replay source can be played, paused or seeked`,
        )
      switch (action) {
        case 'play':
          return r.play()
        case 'pause':
          return r.pause()
        case 'seek':
          return r.seek(value!)
        case 'speed':
          if (!(value! >= 0.1 && value! <= 1000))
            throw new VigilError(
              'bad-request',
              `replay.control: speed must be from 0.1 to 1000, not ${value}`,
            )
          return r.speed(value!)
        case 'loop':
          return r.loop(value !== 0)
        default:
          return r.state()
      }
    },
  }
}
