import { join } from 'node:path'
import { VigilError } from '../../shared/errors.ts'
import type {
  CsvFormat,
  DateOrder,
  ImportedDataset,
  ImportMapping,
  ImportPreview,
  ImportProgress,
  ImportReport,
} from '../../shared/import.ts'
import type { PlantConfig } from '../../shared/plant.ts'
import type { Store } from '../store/store.ts'
import { reportCsv } from './bad-rows.ts'
import { ImportJob } from './import-job.ts'
import { MappingStore } from './mapping-store.ts'
import { endIdleParserThreads, warmParserThreads } from './parser-thread.ts'
import { previewFile, type KnownAsset } from './preview.ts'

/** Finished jobs kept for their progress and report; the oldest go first. */
const KEPT_JOBS = 50

export interface ImportServiceOptions {
  store: Store
  plant: PlantConfig
  /** Reports go to <dataDir>/import-reports, saved mappings to <dataDir>/import-mappings. */
  dataDir: string
}

/**
 * Imports as the engine offers them over the contract: preview a file, start a job, watch
 * its progress, cancel it, fetch its report. One import per asset at a time, so two stages
 * never race to create the same asset.
 */
export function createImportService(o: ImportServiceOptions) {
  const jobs = new Map<string, ImportJob>()
  const mappings = new MappingStore(join(o.dataDir, 'import-mappings'))
  const reportsDir = join(o.dataDir, 'import-reports')
  const configured = (id: string) => o.plant.assets.find((a) => a.id === id) ?? null
  // Ready before the first import, as the store is: an import then starts parsing at once.
  warmParserThreads()

  const lookup = async (assetId: string): Promise<KnownAsset | null> => {
    const a = configured(assetId)
    if (a) return a
    const stored = await o.store.storedAsset(assetId)
    return stored
      ? { name: stored.name, class: stored.class as KnownAsset['class'], tags: stored.tags }
      : null
  }

  const job = (jobId: string) => {
    const j = jobs.get(jobId)
    if (!j) throw new VigilError('not-found', `no import job "${jobId}"`)
    return j
  }

  return {
    mappings,
    preview: (req: {
      path: string
      assetId?: string
      mapping?: ImportMapping
      format?: Partial<CsvFormat>
      order?: DateOrder
      rows?: number
    }): Promise<ImportPreview> => previewFile({ ...req, mappings, lookup }),

    start(req: { path: string; mapping: ImportMapping; onBadRow?: 'skip' | 'abort' }): ImportJob {
      for (const j of jobs.values()) {
        const p = j.progress()
        if (p.assetId === req.mapping.assetId && (p.state === 'running' || p.state === 'committing'))
          throw new VigilError(
            'bad-request',
            `asset "${p.assetId}" is already importing ${p.file}; wait for it or cancel it`,
          )
      }
      const j = new ImportJob({
        file: req.path,
        mapping: req.mapping,
        onBadRow: req.onBadRow ?? 'skip',
        store: o.store,
        configured: configured(req.mapping.assetId),
        reportsDir,
        mappings,
      })
      jobs.set(j.id, j)
      for (const [id, old] of jobs) {
        if (jobs.size <= KEPT_JOBS) break
        if (old.progress().endedAt) jobs.delete(id)
      }
      return j
    },

    progress: (jobId: string): ImportProgress => job(jobId).progress(),
    list: (): ImportProgress[] => [...jobs.values()].map((j) => j.progress()),
    datasets: (q: { assetId?: string; limit?: number }): Promise<ImportedDataset[]> =>
      o.store.importedDatasets(q),
    cancel: (jobId: string): Promise<ImportProgress> => job(jobId).cancel(),

    report(jobId: string): { report: ImportReport; csv: string; path?: string } {
      const j = job(jobId)
      const report = j.report()
      if (!report)
        throw new VigilError('bad-request', `import ${jobId} is still running; its report comes when it ends`)
      const path = j.progress().reportPath
      return { report, csv: reportCsv(report), ...(path ? { path } : {}) }
    },

    /** Cancels what is running; the engine calls it before closing the store. */
    async close(): Promise<void> {
      await Promise.all([...jobs.values()].map((j) => j.cancel()))
      await endIdleParserThreads()
    },
  }
}

export type ImportService = ReturnType<typeof createImportService>
