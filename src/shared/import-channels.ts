import { z } from 'zod'
import {
  CsvFormat,
  DateOrder,
  ImportMapping,
  ReplayAction,
  type ImportedDataset,
  type ImportPreview,
  type ImportProgress,
  type ImportReport,
  type ReplayState,
} from './import.ts'

/*
 * The contract's channels for importing files and controlling replays (contract.ts spreads
 * them in). A path names a file on the machine running the engine: the desktop app's file
 * dialog gives one, and in headless mode the person types it. An import runs as a job: start
 * answers at once, and the renderer polls progress (rows/s, time left) until the job ends.
 */

const res = <T>() => z.custom<T>(() => true)
const Path = z.string().min(1).max(4096)
const JobId = z.string().min(1).max(100)
const AssetId = z.string().min(1).max(100)

export const importChannels = {
  /** Detects the layout, types and time of a file from its head, and the mapping an import would use. */
  'import.preview': {
    req: z
      .object({
        path: Path,
        assetId: AssetId.optional(),
        mapping: ImportMapping.optional(),
        format: CsvFormat.partial().optional(),
        order: DateOrder.optional(),
        rows: z.number().int().min(1).max(200).optional(),
      })
      .strict(),
    res: res<ImportPreview>(),
  },
  /** Starts an import; bad rows are skipped and reported, or the first one aborts it. */
  'import.start': {
    req: z
      .object({ path: Path, mapping: ImportMapping, onBadRow: z.enum(['skip', 'abort']).default('skip') })
      .strict(),
    res: res<ImportProgress>(),
  },
  'import.progress': { req: z.object({ jobId: JobId }).strict(), res: res<ImportProgress>() },
  /** Every import since the engine started (the last 50 finished ones), newest last. */
  'import.jobs': { req: z.object({}).strict(), res: res<ImportProgress[]>() },
  /** Committed imports as the history file records them (survives restarts), newest first. */
  'import.datasets': {
    req: z
      .object({ assetId: AssetId.optional(), limit: z.number().int().min(1).max(1000).optional() })
      .strict(),
    res: res<ImportedDataset[]>(),
  },
  /** Answers once the job has stopped and the history is as it was before it began. */
  'import.cancel': { req: z.object({ jobId: JobId }).strict(), res: res<ImportProgress>() },
  /** A finished job's report, with its CSV text to save and the path the engine wrote it to. */
  'import.report': {
    req: z.object({ jobId: JobId }).strict(),
    res: res<{ report: ImportReport; csv: string; path?: string }>(),
  },
  /** Play, pause, seek (value: data time, epoch ms), speed (value: 0.1 to 1000), loop (value: 1 or 0), or just read the state. */
  'replay.control': {
    req: z
      .object({ assetId: AssetId, action: ReplayAction, value: z.number().finite().optional() })
      .strict()
      .refine(
        (r) => r.action === 'state' || r.action === 'play' || r.action === 'pause' || r.value !== undefined,
        {
          message: 'seek, speed and loop need a value',
          path: ['value'],
        },
      ),
    res: res<ReplayState>(),
  },
} as const
