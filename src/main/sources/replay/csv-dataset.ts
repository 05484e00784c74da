import { open } from 'node:fs/promises'
import { VigilError } from '../../../shared/errors.ts'
import type { AssetConfig } from '../../../shared/plant.ts'
import { BadRowLog } from '../../import/bad-rows.ts'
import { RowSink } from '../../import/row-sink.ts'
import { detectFile, type Detection } from '../../import/detect.ts'
import { FastParser } from '../../import/fast-parser.ts'
import { readMappingFile } from '../../import/mapping-store.ts'
import { suggestMapping } from '../../import/mapping.ts'
import { planOf, type ParsePlan } from '../../import/parse-plan.ts'
import type { ReplayDataset } from './dataset.ts'
import { CsvCursor } from './csv-cursor.ts'
import { FileGuard } from './file-guard.ts'

const TAIL_BYTES = 64 * 1024

/**
 * A CSV file as a replay, read by the import's parsers in bounded memory: a cursor streams it
 * forward a few thousand rows ahead of the play position, and a seek backwards starts it over
 * (the parser reads millions of rows a second, so that costs little). Columns feed the
 * asset's tags by header, or as a mapping file says.
 */
export async function openCsvDataset(
  file: string,
  mappingPath: string | undefined,
  asset: AssetConfig,
): Promise<ReplayDataset> {
  const given = mappingPath ? readMappingFile(mappingPath) : null
  // Taken first: a file cut short or swapped from here on fails the replay, naming it.
  const guard = await FileGuard.of(file).catch((e: unknown) => {
    throw new VigilError('bad-request', `replay of ${file}: cannot read the file (${(e as Error).message})`)
  })
  const found = await detectFile(file, given?.format ?? {})
  const mapping = given
    ? { ...given, assetId: asset.id }
    : suggestMapping({
        shape: found.shape,
        assetId: asset.id,
        asset,
        format: found.format,
        time: found.guess.time,
        columns: found.columns,
      })
  if (!mapping.columns.some((c) => c.tag !== null))
    throw new VigilError(
      'bad-request',
      `replay into "${asset.id}": no column of ${file} is named like one of its tags (${asset.tags.map((t) => t.id).join(', ')}); give a mapping`,
    )
  const plan = planOf(mapping, found.headers, file)
  const slots = plan.tags.map((id) => {
    const k = asset.tags.findIndex((t) => t.id === id)
    if (k < 0)
      throw new VigilError(
        'bad-request',
        `replay into "${asset.id}": the mapping feeds tag "${id}", which the asset lacks`,
      )
    return k
  })
  const cursor = new CsvCursor({ file, found, plan, slots, tags: asset.tags.length })
  const from = await cursor.firstTime()
  if (from === null) throw new VigilError('bad-request', `replay of ${file}: the file holds no readable rows`)
  // Without a time column (or for a file only the library parser reads) the end is learned on the first pass.
  const tail = await lastTime(file, found, plan)
  const unfed = asset.tags.length - plan.tags.length
  return {
    from,
    get to() {
      return tail ?? cursor.lastTime ?? Infinity
    },
    read: async (a, b) => {
      await guard.check()
      return cursor.read(a, b)
    },
    close: () => cursor.close(),
    note: () => {
      const parts = []
      const log = cursor.log
      if (log.total > 0) parts.push(`${log.total} bad rows skipped (first: ${log.rows[0]?.message})`)
      if (unfed > 0) parts.push(`${unfed} of the asset's tags have no column and play as missing`)
      return parts.length ? parts.join('; ') : undefined
    },
  }
}

/** The time of the file's last row, from its last few kilobytes; null when they hold none the fast parser reads. */
async function lastTime(file: string, found: Detection, plan: ParsePlan): Promise<number | null> {
  if (found.slowReason || plan.time.kind === 'none') return null
  const fh = await open(file, 'r')
  try {
    const size = (await fh.stat()).size
    const start = Math.max(found.start.offset, size - TAIL_BYTES)
    const buf = new Uint8Array(size - start + 1)
    const { bytesRead } = await fh.read(buf, 0, size - start, start)
    let n = bytesRead
    if (n > 0 && buf[n - 1] !== 10) buf[n++] = 10
    const first = start === found.start.offset ? 0 : buf.indexOf(10) + 1
    const sink = new RowSink(plan.tags.length, 'skip', new BadRowLog(file), 4096)
    const parser = new FastParser(plan, sink, 1)
    parser.parse(buf, first, n)
    return sink.n > 0 || sink.rows > 0 ? sink.last : null
  } finally {
    await fh.close()
  }
}
