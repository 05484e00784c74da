import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { VigilError } from '../../shared/errors.ts'
import { ImportMapping } from '../../shared/import.ts'
import { formatIssues } from '../../shared/zod-format.ts'

/**
 * Mappings saved by the shape of the file they were made for (mapping.ts shapeOf), one JSON
 * file each, so the next file from the same logger imports without asking again.
 */
export class MappingStore {
  readonly dir: string

  constructor(dir: string) {
    this.dir = dir
  }

  /** The mapping last used for files of this shape, or null. A damaged file counts as none. */
  find(shape: string): ImportMapping | null {
    if (!/^[0-9a-f]{16}$/.test(shape)) return null
    try {
      const parsed = ImportMapping.safeParse(JSON.parse(readFileSync(this.path(shape), 'utf8')))
      return parsed.success ? parsed.data : null
    } catch {
      return null
    }
  }

  save(m: ImportMapping): string {
    mkdirSync(this.dir, { recursive: true })
    const file = this.path(m.shape)
    // Write then rename, so a crash never leaves half a mapping where the next import looks.
    writeFileSync(`${file}.tmp`, `${JSON.stringify(m, null, 2)}\n`)
    renameSync(`${file}.tmp`, file)
    return file
  }

  private path(shape: string): string {
    if (!/^[0-9a-f]{16}$/.test(shape))
      throw new VigilError('bad-request', `mapping shape "${shape}" is not a shape key`)
    return join(this.dir, `${shape}.json`)
  }
}

/** Reads a mapping file a person passed (`vigil import --map`), naming the field that is wrong. */
export function readMappingFile(path: string): ImportMapping {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'))
  } catch (e) {
    throw new VigilError('bad-request', `${path}: not a readable JSON mapping: ${(e as Error).message}`)
  }
  const parsed = ImportMapping.safeParse(raw)
  if (!parsed.success) throw new VigilError('bad-request', `${path}: ${formatIssues(parsed.error)}`)
  return parsed.data
}
