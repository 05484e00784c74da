import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { VigilError } from '../../../shared/errors.ts'
import { formatIssues } from '../../../shared/zod-format.ts'
import type { CsvTable } from './csv-table.ts'

/*
 * `--map mapping.json`: which file column is which model input. Either a plain object
 * {"file column": "model input"} or an import mapping (src/shared/import.ts), whose
 * columns[].source/tag say the same, so a mapping saved by the importer scores the file too.
 */

const Plain = z.record(z.string(), z.string())
const Imported = z.object({ columns: z.array(z.object({ source: z.string(), tag: z.string().nullable() })) })

/** The renames a mapping file holds, file column -> new name. */
export function readColumnMap(path: string): Map<string, string> {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'))
  } catch (e) {
    throw new VigilError('bad-request', `${path}: not a JSON mapping: ${(e as Error).message}`)
  }
  const imported = Imported.safeParse(raw)
  if (imported.success)
    return new Map(imported.data.columns.filter((c) => c.tag !== null).map((c) => [c.source, c.tag!]))
  const plain = Plain.safeParse(raw)
  if (plain.success) return new Map(Object.entries(plain.data))
  throw new VigilError(
    'bad-request',
    `${path}: expected {"file column": "model input", ...} or an import mapping with columns[].source/tag: ${formatIssues(plain.error)}`,
  )
}

/** Renames the table's columns in place; a mapped column the file lacks is an error naming both. */
export function renameColumns(t: CsvTable, renames: Map<string, string>, mapPath: string): void {
  for (const from of renames.keys())
    if (!t.header.includes(from))
      throw new VigilError(
        'bad-request',
        `${mapPath}: maps column "${from}", which ${t.path} does not have (it has ${t.header.map((h) => `"${h}"`).join(', ')})`,
      )
  t.header = t.header.map((h) => renames.get(h) ?? h)
}
