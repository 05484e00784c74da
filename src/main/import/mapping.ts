import { createHash } from 'node:crypto'
import type { ColumnMap, ColumnPreview, CsvFormat, ImportMapping, TimeSpec } from '../../shared/import.ts'
import type { AssetConfig } from '../../shared/plant.ts'

/**
 * The layout a mapping belongs to: delimiter, decimal mark, header rows and the column names
 * (or, without a header, the column count and which columns are numbers). Two files of the
 * same logger share it, so the second one finds the mapping made for the first.
 */
export function shapeOf(format: CsvFormat, headers: string[], types: ColumnPreview[]): string {
  const cols =
    format.headerRows > 0
      ? headers.map((h) => h.trim().toLowerCase())
      : types.map((t) => (t.type === 'number' ? 'n' : t.type === 'empty' ? '' : 'x'))
  const key = [format.delimiter, format.decimal, format.headerRows, cols.length, ...cols].join('\u001f')
  return createHash('sha256').update(key).digest('hex').slice(0, 16)
}

/** A tag id from a column header: letters, digits and _, starting with a letter, unique. */
export function tagIdOf(header: string, taken: Set<string>): string {
  let id = header
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60)
  if (!/^[A-Za-z]/.test(id)) id = `c_${id}`
  let out = id
  for (let i = 2; taken.has(out.toLowerCase()); i++) out = `${id}_${i}`
  taken.add(out.toLowerCase())
  return out
}

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '')

/**
 * The mapping detection suggests. Into an existing asset: each numeric column whose header
 * matches a tag's id or name (ignoring case and punctuation) feeds that tag, the others stay
 * out. Into a new asset: every numeric column becomes a tag of it.
 */
export function suggestMapping(opts: {
  shape: string
  assetId: string
  asset:
    | (Pick<AssetConfig, 'name' | 'class'> & {
        tags: { id: string; name?: string; unit: string; min?: number; max?: number }[]
      })
    | null
  format: CsvFormat
  time: TimeSpec
  columns: ColumnPreview[]
  units?: string[]
}): ImportMapping {
  const { asset, time } = opts
  const timeCols = new Set(
    time.kind === 'none' ? [] : time.kind === 'date+time' ? [time.column, time.timeColumn] : [time.column],
  )
  const taken = new Set<string>()
  const used = new Set<string>()
  const columns: ColumnMap[] = opts.columns.map((c) => {
    const base = {
      column: c.column,
      source: opts.format.headerRows > 0 ? c.header : '',
      unit: opts.units?.[c.column] ?? '',
    }
    if (timeCols.has(c.column) || c.type !== 'number') return { ...base, tag: null }
    if (asset) {
      const tag = asset.tags.find(
        (t) =>
          !used.has(t.id) && (norm(t.id) === norm(c.header) || (t.name && norm(t.name) === norm(c.header))),
      )
      if (!tag) return { ...base, tag: null }
      used.add(tag.id)
      return {
        ...base,
        tag: tag.id,
        unit: tag.unit,
        ...(tag.min !== undefined ? { min: tag.min } : {}),
        ...(tag.max !== undefined ? { max: tag.max } : {}),
      }
    }
    return { ...base, tag: tagIdOf(c.header, taken), name: c.header }
  })
  return {
    version: 1,
    shape: opts.shape,
    assetId: opts.assetId,
    ...(asset ? { assetName: asset.name, assetClass: asset.class } : {}),
    format: opts.format,
    time,
    columns,
  }
}
