import { basename, extname } from 'node:path'
import type { CsvFormat, DateOrder, ImportMapping, ImportPreview, TimeSpec } from '../../shared/import.ts'
import type { AssetConfig } from '../../shared/plant.ts'
import { clockCell, dateCell, numberCell } from './cell-kind.ts'
import { detectFile } from './detect.ts'
import { shownType } from './detect-columns.ts'
import type { MappingStore } from './mapping-store.ts'
import { suggestMapping } from './mapping.ts'

/** An asset as far as mapping needs it: configured ones have ranges, imported ones may not. */
export type KnownAsset = Pick<AssetConfig, 'name' | 'class'> & {
  tags: { id: string; name?: string; unit: string; min?: number; max?: number }[]
}

export interface PreviewOptions {
  path: string
  assetId?: string
  mapping?: ImportMapping
  format?: Partial<CsvFormat>
  order?: DateOrder
  rows?: number
  mappings: MappingStore | null
  lookup(assetId: string): Promise<KnownAsset | null>
}

/** An asset id from a file name: "Pump 3 (2024).csv" -> "Pump_3_2024". */
export function assetIdOf(path: string): string {
  const id = basename(path, extname(path))
    .replace(/[^A-Za-z0-9_.-]+/g, '_')
    .replace(/^[^A-Za-z0-9]+/, '')
  return id || 'imported'
}

/**
 * What the import would do with a file, from its head alone: the layout found, each column's
 * type, the first rows with the time each would get, and the mapping it would use: the one
 * given, else the one saved for files of this shape, else a suggestion.
 */
export async function previewFile(o: PreviewOptions): Promise<ImportPreview> {
  const found = await detectFile(o.path, o.mapping?.format ?? o.format ?? {})
  let mapping: ImportMapping
  let mappingFrom: ImportPreview['mappingFrom']
  const saved = o.mapping ? null : (o.mappings?.find(found.shape) ?? null)
  if (o.mapping) {
    mapping = o.mapping
    mappingFrom = 'given'
  } else if (saved && (!o.assetId || saved.assetId === o.assetId)) {
    mapping = saved
    mappingFrom = 'saved'
  } else {
    const assetId = o.assetId ?? assetIdOf(o.path)
    mapping = suggestMapping({
      shape: found.shape,
      assetId,
      asset: await o.lookup(assetId),
      format: found.format,
      time: found.guess.time,
      columns: found.columns,
      units: found.units,
    })
    mappingFrom = 'detected'
  }
  if (o.order && (mapping.time.kind === 'datetime' || mapping.time.kind === 'date+time'))
    mapping = { ...mapping, time: { ...mapping.time, order: o.order } }
  const rows = found.rows.slice(0, o.rows ?? 20)
  const ambiguous = found.guess.ambiguousOrder
  return {
    path: o.path,
    bytes: found.head.size,
    format: found.format,
    quoted: found.quoted || found.slowReason !== undefined,
    columns: found.columns.map(({ orders: _orders, ...c }) => ({
      ...c,
      type: shownType({ ...c, orders: [] }, mapping.time),
    })),
    rows,
    times: rows.map((r, i) => timeOf(mapping.time, r, i, mapping.format.decimal)),
    firstLine: found.start.line,
    notes: [
      ...found.guess.notes,
      ...(found.slowReason ? [`read by the library parser: ${found.slowReason}`] : []),
    ],
    ...(ambiguous && !o.order
      ? {
          ambiguousOrder: {
            ...ambiguous,
            chosen:
              mapping.time.kind === 'datetime' || mapping.time.kind === 'date+time'
                ? mapping.time.order
                : ambiguous.chosen,
          },
        }
      : {}),
    mapping,
    mappingFrom,
    assetExists: (await o.lookup(mapping.assetId)) !== null,
  }
}

/** The time a row gets under a time spec, as the import computes it; null when it has none. */
export function timeOf(time: TimeSpec, row: string[], index: number, decimal: '.' | ','): number | null {
  const t =
    time.kind === 'none'
      ? time.start + index * time.periodMs
      : time.kind === 'epoch'
        ? numberCell(row[time.column] ?? '', decimal) * (time.unit === 's' ? 1000 : 1)
        : time.kind === 'datetime'
          ? dateCell(row[time.column] ?? '', time.order, time.utcOffsetMin)
          : dateCell(row[time.column] ?? '', time.order, time.utcOffsetMin) +
            clockCell(row[time.timeColumn] ?? '')
  return Number.isFinite(t) ? t : null
}
