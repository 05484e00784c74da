import { BadRowLog } from '../../import/bad-rows.ts'
import type { Detection } from '../../import/detect.ts'
import { parseFile } from '../../import/file-parse.ts'
import type { ParsePlan } from '../../import/parse-plan.ts'
import { RowSink, type ColumnBatch } from '../../import/row-sink.ts'
import { concatRows, toAssetOrder, type ReplayRows } from './dataset.ts'

/** Rows parsed ahead of the play position, at most: what bounds a replay's memory. */
const AHEAD_ROWS = 16_384
const BATCH_ROWS = 4096

/**
 * Pulls rows from a CSV file in time order. A producer runs the import's parser and waits
 * whenever AHEAD_ROWS are queued; read() takes rows and wakes it. Reading behind what was
 * already taken starts a new producer from the top (the old one stops at its next pause).
 */
export class CsvCursor {
  log: BadRowLog
  /** Data time of the last row, once the producer has reached the end of the file. */
  lastTime: number | null = null
  private readonly o: { file: string; found: Detection; plan: ParsePlan; slots: number[]; tags: number }
  private queue: ColumnBatch[] = []
  private offset = 0
  private eof = false
  private error: unknown = null
  private taken = -Infinity
  private gen = 0
  private wakeProducer: (() => void) | null = null
  private wakeReader: (() => void) | null = null

  constructor(o: { file: string; found: Detection; plan: ParsePlan; slots: number[]; tags: number }) {
    this.o = o
    this.log = new BadRowLog(o.file)
    this.restart()
  }

  /** The first row's time, or null for a file without rows. */
  async firstTime(): Promise<number | null> {
    while (this.queue.length === 0 && !this.eof) await this.arrival()
    this.check()
    const b = this.queue[0]
    return b ? b.t[this.offset]! : null
  }

  /** Rows with a <= t < b. */
  async read(a: number, b: number): Promise<ReplayRows> {
    if (a < this.taken) this.restart()
    const parts: ReplayRows[] = []
    for (;;) {
      this.check()
      const batch = this.queue[0]
      if (!batch) {
        if (this.eof) break
        await this.arrival()
        continue
      }
      const t = batch.t
      let i = this.offset
      while (i < t.length && t[i]! < a) i++
      let j = i
      while (j < t.length && t[j]! < b) j++
      if (j > i)
        parts.push(
          toAssetOrder(
            t.slice(i, j),
            batch.values.map((v) => v.slice(i, j)),
            this.o.slots,
            this.o.tags,
          ),
        )
      if (j < t.length) {
        this.offset = j
        break
      }
      this.queue.shift()
      this.offset = 0
      this.wakeProducer?.()
    }
    this.taken = b
    return parts.length
      ? concatRows(parts, this.o.tags)
      : toAssetOrder(new Float64Array(0), [], [], this.o.tags)
  }

  async close(): Promise<void> {
    this.gen++
    this.wakeProducer?.()
  }

  private restart(): void {
    const gen = ++this.gen
    this.wakeProducer?.()
    this.queue = []
    this.offset = 0
    this.eof = false
    this.taken = -Infinity
    this.log = new BadRowLog(this.o.file)
    void this.produce(gen, this.log)
  }

  private async produce(gen: number, log: BadRowLog): Promise<void> {
    const { file, found, plan } = this.o
    const sink = new RowSink(plan.tags.length, 'skip', log, BATCH_ROWS)
    const live = () => gen === this.gen
    try {
      await parseFile({
        file,
        format: found.format,
        plan,
        start: found.start,
        slow: found.slowReason !== undefined,
        sink,
        pause: async () => {
          if (!live()) return false
          const got = sink.take()
          if (got.length) {
            this.queue.push(...got)
            this.wakeReader?.()
          }
          while (live() && this.queued() > AHEAD_ROWS) await new Promise<void>((r) => (this.wakeProducer = r))
          return live()
        },
      })
      if (live() && sink.rows > 0) this.lastTime = sink.last
    } catch (e) {
      if (live()) this.error = e
    }
    if (live()) {
      this.eof = true
      this.wakeReader?.()
    }
  }

  private queued(): number {
    return this.queue.reduce((s, b) => s + b.t.length, 0) - this.offset
  }

  private arrival(): Promise<void> {
    return new Promise((r) => (this.wakeReader = r))
  }

  private check(): void {
    if (this.error) throw this.error
  }
}
