import { z } from 'zod'
import { AssetClass, AssetConfig, TagConfig } from './plant.ts'

/*
 * Importing and replaying data files: how a file is laid out (CsvFormat), where its time is
 * (TimeSpec), which column feeds which tag (ImportMapping), and what an import reports.
 * A mapping is plain JSON, saved beside the history and reused for the next file of the
 * same shape, or passed to `vigil import --map`.
 */

export const Encoding = z.enum(['utf-8', 'latin1', 'utf-16le', 'utf-16be'])
export type Encoding = z.infer<typeof Encoding>

/** Which of a date's three numbers is the year, the month and the day. */
export const DateOrder = z.enum(['ymd', 'dmy', 'mdy'])
export type DateOrder = z.infer<typeof DateOrder>

export const CsvFormat = z
  .object({
    encoding: Encoding,
    /** 'whitespace': any run of spaces and tabs separates fields (C-MAPSS, TEP). */
    delimiter: z.enum([',', ';', '\t', '|', 'whitespace']),
    decimal: z.enum(['.', ',']),
    headerRows: z.number().int().min(0).max(50),
  })
  .strict()
export type CsvFormat = z.infer<typeof CsvFormat>

const Column = z.number().int().min(0).max(100_000)
/** Minutes east of UTC for times written without a zone; 0 reads them as UTC. */
const Offset = z.number().int().min(-840).max(840).default(0)

export const TimeSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('datetime'), column: Column, order: DateOrder, utcOffsetMin: Offset }).strict(),
  z
    .object({
      kind: z.literal('date+time'),
      column: Column,
      timeColumn: Column,
      order: DateOrder,
      utcOffsetMin: Offset,
    })
    .strict(),
  z.object({ kind: z.literal('epoch'), column: Column, unit: z.enum(['s', 'ms']) }).strict(),
  /** No time in the file: row i is at start + i * periodMs. */
  z.object({ kind: z.literal('none'), start: z.number().finite(), periodMs: z.number().positive() }).strict(),
])
export type TimeSpec = z.infer<typeof TimeSpec>

export const ColumnMap = z
  .object({
    column: Column,
    /** The header it had when mapped: a mapping is refused on a file whose columns moved. */
    source: z.string(),
    /** The tag it feeds; null leaves the column out. */
    tag: TagConfig.shape.id.nullable(),
    name: z.string().optional(),
    unit: z.string().default(''),
    /** A value outside [min, max] is kept and marked OUT_OF_RANGE. */
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .strict()
export type ColumnMap = z.infer<typeof ColumnMap>

export const ImportMapping = z
  .object({
    version: z.literal(1),
    /** Fingerprint of the file's layout (shape.ts): the key a saved mapping is found by. */
    shape: z.string(),
    assetId: AssetConfig.shape.id,
    assetName: z.string().optional(),
    assetClass: AssetClass.optional(),
    format: CsvFormat,
    time: TimeSpec,
    columns: z.array(ColumnMap),
  })
  .strict()
export type ImportMapping = z.infer<typeof ImportMapping>

export type ColumnType =
  'number' | 'datetime' | 'date' | 'time-of-day' | 'epoch-s' | 'epoch-ms' | 'text' | 'empty'

export interface ColumnPreview {
  column: number
  header: string
  type: ColumnType
  /** Over the preview's sample rows. */
  min?: number
  max?: number
}

export interface ImportPreview {
  path: string
  bytes: number
  format: CsvFormat
  /** The file holds quoted fields (or is UTF-16): it goes through the library parser. */
  quoted: boolean
  columns: ColumnPreview[]
  /** The first rows as text, and each one's time as read with `mapping.time` (null: unreadable). */
  rows: string[][]
  times: (number | null)[]
  firstLine: number
  /** What a person should check, e.g. dates that read both day-first and month-first. */
  notes: string[]
  /** Set when the dates fit both orders: the chosen one and the one a person may prefer. */
  ambiguousOrder?: { chosen: DateOrder; other: DateOrder; example: string }
  mapping: ImportMapping
  mappingFrom: 'saved' | 'given' | 'detected'
  /** The target asset exists (configured or imported before); else the import creates it. */
  assetExists: boolean
}

export const BadRowReasons = ['columns', 'number', 'time', 'backwards'] as const
export type BadRowReason = (typeof BadRowReasons)[number]

export interface BadRow {
  line: number
  reason: BadRowReason
  column?: string
  value?: string
  message: string
}

export type ImportState = 'running' | 'committing' | 'done' | 'cancelled' | 'aborted' | 'failed'

export interface ImportProgress {
  jobId: string
  file: string
  assetId: string
  state: ImportState
  bytesRead: number
  bytesTotal: number
  rows: number
  rejected: number
  rowsPerS: number
  /** Seconds left at the current rate; null until there is a rate. */
  etaS: number | null
  startedAt: number
  endedAt?: number
  message?: string
  /** Where the report was written once the job ended. */
  reportPath?: string
}

export interface ImportReport {
  file: string
  assetId: string
  state: ImportState
  rows: number
  rejected: number
  byReason: Record<BadRowReason, number>
  /** The first bad rows in full (the counts above hold them all). */
  badRows: BadRow[]
  truncated: boolean
  /** Time span of the rows imported, epoch ms. */
  from?: number
  to?: number
  startedAt: number
  endedAt: number
  message?: string
  /** The asset written to: a new asset's tags with units and the ranges seen, ready for a plant file. */
  asset?: ImportedAsset
  /** Which parser read the file ('fast', 'library', or both and from which line). */
  parser?: string
}

export interface ImportedAsset {
  id: string
  name: string
  class: AssetConfig['class']
  tags: TagConfig[]
}

/** Where a replay stands; position and span are in the data's own time (epoch ms). */
export interface ReplayState {
  assetId: string
  playing: boolean
  speed: number
  loop: boolean
  position: number
  from: number
  to: number
  /** Rows sent downstream since the source started. */
  rows: number
}

export const ReplayAction = z.enum(['state', 'play', 'pause', 'seek', 'speed', 'loop'])
export type ReplayAction = z.infer<typeof ReplayAction>

/**
 * One committed import as the history file records it (the imported_datasets table, written
 * in the same transaction that makes the rows part of the asset's history).
 */
export interface ImportedDataset {
  id: number
  jobId: string
  assetId: string
  file: string
  /** The file's size, bytes. */
  size: number
  rows: number
  rejected: number
  /** Time span of the rows imported, epoch ms; null when no row was imported. */
  from: number | null
  to: number | null
  mapping: ImportMapping
  /** The bad-row report (CSV) the import wrote beside its JSON twin. */
  reportPath: string | null
  startedAt: number
  finishedAt: number
  status: 'committed'
}
