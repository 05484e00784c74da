import { parse } from 'csv-parse'
import { createReadStream } from 'node:fs'
import type { CsvFormat } from '../../shared/import.ts'
import type { FastParser } from './fast-parser.ts'
import type { ParsePlan } from './parse-plan.ts'
import type { RowSink } from './row-sink.ts'

/** Records between the caller's chances to take batches and see a cancel. */
const RECORDS_PER_YIELD = 4096

export interface LibraryRun {
  file: string
  format: CsvFormat
  plan: ParsePlan
  /** Converts each record, so both paths judge numbers, times and bad rows alike. */
  fast: FastParser
  sink: RowSink
  /** Byte of the file to start at (a row start), its line, and records to skip there (header rows). */
  startByte: number
  startLine: number
  skipRecords: number
  /** Takes the sink's batches and returns false to stop (cancelled). */
  pause(bytesRead: number): Promise<boolean>
}

/**
 * The path for awkward files: quoted fields (with delimiters, quotes or line breaks inside),
 * UTF-16, lines ending in CR alone. csv-parse splits the records from a decoded stream; each
 * record is then written as one clean line (fields that could break a line made harmless) and
 * handed to the same byte parser as the fast path, so a value means the same either way.
 * Memory stays bounded: the loop pulls records, and awaiting `pause` stops the stream.
 */
export async function parseWithLibrary(run: LibraryRun): Promise<void> {
  const { format, plan, fast, sink } = run
  const stream = createReadStream(run.file, { start: run.startByte, highWaterMark: 1 << 20 })
  const label = format.encoding === 'latin1' ? 'windows-1252' : format.encoding
  const decoder = new TextDecoder(label)
  const parser = parse({
    delimiter: format.delimiter === 'whitespace' ? [' ', '\t'] : format.delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    info: true,
  })
  const feed = (async () => {
    for await (const chunk of stream) {
      if (!parser.write(decoder.decode(chunk as Buffer, { stream: true })))
        await new Promise((r) => parser.once('drain', r))
    }
    parser.end(decoder.decode())
  })().catch((e: unknown) => parser.destroy(e as Error))

  const sep = plan.whitespace ? ' ' : String.fromCharCode(plan.delimiter)
  let line = run.startLine - 1
  let empty = 0
  let skip = run.skipRecords
  let since = 0
  let buf = new Uint8Array(4096)
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[]
      info: { empty_lines: number }
    }>) {
      const first = line + 1 + (info.empty_lines - empty)
      empty = info.empty_lines
      let breaks = 0
      for (const f of record) for (let i = f.indexOf('\n'); i >= 0; i = f.indexOf('\n', i + 1)) breaks++
      line = first + breaks
      if (skip > 0) {
        skip--
        continue
      }
      const fields = plan.whitespace ? record.filter((f) => f !== '') : record
      if (fields.length === 0) continue
      const text = fields.map((f) => clean(f, sep)).join(sep)
      if (buf.length < text.length + 1) buf = new Uint8Array(text.length * 2 + 1)
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i)
        buf[i] = c < 256 ? c : 63
      }
      buf[text.length] = 10
      fast.line = first
      fast.parse(buf, 0, text.length + 1)
      if (sink.stopped) break
      if (++since === RECORDS_PER_YIELD) {
        since = 0
        if (!(await run.pause(run.startByte + stream.bytesRead))) break
      }
    }
  } finally {
    stream.destroy()
    parser.destroy()
    await feed
  }
}

/** A field that would split the clean line (separator, quote, line break) cannot be a number or time anyway. */
function clean(field: string, sep: string): string {
  let out = /["\r\n]/.test(field) ? field.replace(/["\r\n]/g, '?') : field
  if (sep === ' ') out = out.trim().replace(/[ \t]+/g, '?')
  else if (out.includes(sep)) out = out.split(sep).join('?')
  return out
}
