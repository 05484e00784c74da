import { readSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { VigilError } from '../../shared/errors.ts'
import type { CsvFormat } from '../../shared/import.ts'
import { FastParser } from './fast-parser.ts'
import { parseWithLibrary } from './library-parser.ts'
import type { ParsePlan } from './parse-plan.ts'
import type { RowSink } from './row-sink.ts'

/** Bytes per read: large enough that a read costs nothing per row, small enough to stay in cache. */
export const READ_BYTES = 1 << 20
/** A line longer than this is not a data row; the buffer stops growing there. */
const MAX_LINE_BYTES = 64 << 20

export interface FileParse {
  file: string
  format: CsvFormat
  plan: ParsePlan
  /** Where data starts (after byte-order mark and header rows) and its line number. */
  start: { offset: number; line: number }
  /**
   * Parse only up to this byte (a line start): one range of a file parsed by several threads
   * (split-parse.ts). A range stops at a quoted field instead of handing on to the library
   * parser, whose records may cross the range's end; parseFile then returns 'quoted'.
   */
  end?: number
  /** Read everything with the library parser (UTF-16, CR-only line ends). */
  slow: boolean
  sink: RowSink
  /** Called between reads with the bytes read so far: take the sink's batches; false stops. */
  pause(bytesRead: number): Promise<boolean>
  /**
   * Read with blocking calls: for a thread of its own (the import's), where nothing else waits
   * on its event loop. An async read is a round trip through libuv's pool, and on a busy
   * machine each wake-up costs milliseconds: a third of the parsing thread's time, measured.
   */
  blockingReads?: boolean
}

/**
 * Streams one file through the parsers in bounded memory: one read buffer (grown only for a
 * line longer than it), the sink's batch in progress, and whatever batches the caller has not
 * taken. The byte parser reads from `start`; at the first quoted field it hands the rest of
 * the file, from that row on, to the library parser. Returns which parser read what.
 */
export async function parseFile(p: FileParse): Promise<string> {
  const fast = new FastParser(p.plan, p.sink, p.start.line)
  if (p.slow) {
    await parseWithLibrary({
      ...p,
      fast,
      startByte: 0,
      startLine: 1,
      skipRecords: p.format.headerRows,
    })
    await finish(p, Infinity, fast)
    return 'library'
  }
  const fh = await open(p.file, 'r')
  let switched: { byte: number; line: number } | null = null
  let pos = p.start.offset
  const end = p.end ?? Infinity
  try {
    let buf = new Uint8Array(READ_BYTES)
    let have = 0
    for (;;) {
      if (have >= buf.length - 1) {
        if (buf.length >= MAX_LINE_BYTES)
          throw new VigilError(
            'bad-request',
            `${p.file}:${fast.line}: a line longer than ${MAX_LINE_BYTES >> 20} MiB`,
          )
        const bigger = new Uint8Array(buf.length * 2)
        bigger.set(buf.subarray(0, have))
        buf = bigger
      }
      // One byte stays free for the line feed a file's last line may lack.
      const want = Math.min(buf.length - 1 - have, end - pos)
      const bytesRead = p.blockingReads
        ? readSync(fh.fd, buf, have, want, pos)
        : (await fh.read(buf, have, want, pos)).bytesRead
      pos += bytesRead
      have += bytesRead
      const eof = bytesRead === 0
      // The line feed added for a last line without one is not in the file: buf[0] stays at pos - have + padded.
      let padded = 0
      if (eof && have > 0 && buf[have - 1] !== 10) {
        buf[have++] = 10
        padded = 1
      }
      const cut = lastLineEnd(buf, have)
      const used = fast.parse(buf, 0, cut)
      if (fast.quoteAt >= 0) {
        switched = { byte: pos - have + padded + fast.quoteAt, line: fast.line }
        break
      }
      if (p.sink.stopped) break
      buf.copyWithin(0, used, have)
      have -= used
      if (eof) break
      if (!(await p.pause(pos - have))) return 'cancelled'
    }
  } finally {
    await fh.close()
  }
  p.sink.nextLine = fast.line
  if (switched && p.end !== undefined) return 'quoted'
  if (switched) {
    await parseWithLibrary({ ...p, fast, startByte: switched.byte, startLine: switched.line, skipRecords: 0 })
    await finish(p, Infinity, fast)
    return `fast, then library from line ${switched.line} (quoted fields)`
  }
  await finish(p, pos, fast)
  return 'fast'
}

async function finish(p: FileParse, bytes: number, fast: FastParser): Promise<void> {
  p.sink.nextLine = fast.line
  if (!p.sink.stopped) p.sink.flush()
  await p.pause(bytes)
}

/** End of the last complete line in buf[0, have): the parser only ever sees whole lines. */
function lastLineEnd(buf: Uint8Array, have: number): number {
  for (let i = have - 1; i >= 0; i--) if (buf[i] === 10) return i + 1
  return 0
}
