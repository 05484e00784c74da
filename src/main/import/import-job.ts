import { randomUUID } from 'node:crypto'
import { stat } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { MessageChannel } from 'node:worker_threads'
import { VigilError } from '../../shared/errors.ts'
import type { ImportMapping, ImportProgress, ImportReport, ImportState } from '../../shared/import.ts'
import type { AssetConfig } from '../../shared/plant.ts'
import type { ImportStage, ImportStageSpec } from '../store/import-stage-link.ts'
import type { Store } from '../store/store.ts'
import { locateData } from './detect.ts'
import type { FromImportWorker, ImportWorkerInit } from './import-protocol.ts'
import { importedAsset, reportPathOf, writeReport } from './import-report.ts'
import type { MappingStore } from './mapping-store.ts'
import { planOf } from './parse-plan.ts'
import { ParserRun } from './parser-run.ts'
import { joinRanges, SPLIT_MIN_BYTES, splitPoint } from './split-parse.ts'

export interface ImportJobOptions {
  file: string
  mapping: ImportMapping
  onBadRow: 'skip' | 'abort'
  store: Pick<Store, 'stageImport'>
  /** The target as the plant configures it; null for an asset the plant does not list. */
  configured: AssetConfig | null
  reportsDir: string
  /** Where the mapping is saved for the next file of the same shape; null: not saved. */
  mappings: MappingStore | null
}

type Done = Extract<FromImportWorker, { type: 'done' }>

/** What a range of the file has parsed so far, from its thread's progress. */
interface RangeProgress {
  from: number
  bytes: number
  rows: number
  rejected: number
}

/**
 * One file's import: detection, parsing threads (two on a big file, split-parse.ts), a
 * staged write into the store, and the report. Whatever happens (a bad row in abort mode, a
 * cancel, a failure anywhere) before the stage commits, the stage is dropped and the history
 * is as it was.
 */
export class ImportJob {
  readonly id = randomUUID()
  readonly done: Promise<ImportReport>
  private state: ImportState = 'running'
  private bytesTotal = 0
  /** Before parsing starts: the header's bytes; then each range's progress. */
  private headerBytes = 0
  private ranges: RangeProgress[] = []
  private parsed: { rows: number; rejected: number } | null = null
  private readonly startedAt = Date.now()
  private endedAt: number | undefined
  private message: string | undefined
  private reportPath: string | undefined
  private finalReport: ImportReport | null = null
  /** The parsing threads this job holds: taken as it starts, released as their ranges end. */
  private threads: ParserRun[] = []
  private stage: ImportStage | null = null
  private cancelled = false
  /** Most the parsing threads held at once (heap and buffers), bytes, summed over threads. */
  peakWorkerBytes = 0
  private readonly o: ImportJobOptions

  constructor(o: ImportJobOptions) {
    this.o = o
    this.done = this.run()
  }

  progress(): ImportProgress {
    const now = this.endedAt ?? Date.now()
    const s = Math.max(1e-3, (now - this.startedAt) / 1000)
    const sum = (f: (r: RangeProgress) => number) => this.ranges.reduce((a, r) => a + f(r), 0)
    const bytesRead = this.parsed
      ? this.bytesTotal
      : Math.min(this.bytesTotal, this.headerBytes + sum((r) => r.bytes - r.from))
    const rows = this.parsed?.rows ?? sum((r) => r.rows)
    const rejected = this.parsed?.rejected ?? sum((r) => r.rejected)
    const rate = bytesRead / s
    const running = this.state === 'running'
    return {
      jobId: this.id,
      file: this.o.file,
      assetId: this.o.mapping.assetId,
      state: this.state,
      bytesRead,
      bytesTotal: this.bytesTotal,
      rows,
      rejected,
      rowsPerS: rows / s,
      etaS: running && rate > 0 ? Math.max(0, (this.bytesTotal - bytesRead) / rate) : null,
      startedAt: this.startedAt,
      ...(this.endedAt ? { endedAt: this.endedAt } : {}),
      ...(this.message ? { message: this.message } : {}),
      ...(this.reportPath ? { reportPath: this.reportPath } : {}),
    }
  }

  report(): ImportReport | null {
    return this.finalReport
  }

  /** Stops the import and drops what it staged; resolves once the history is as it was. */
  async cancel(): Promise<ImportProgress> {
    if (this.state === 'running') {
      this.cancelled = true
      await Promise.all(this.threads.map((t) => t.terminate()))
    }
    await this.done.catch(() => {})
    return this.progress()
  }

  private async run(): Promise<ImportReport> {
    const { file, mapping, configured } = this.o
    let done: Done | null = null
    // The kept threads (parser-thread.ts), or ones that start (load their modules: ~0.1-0.2 s
    // of CPU, seconds on a busy machine) while the file is detected and the stage begun.
    this.threads.push(new ParserRun())
    try {
      this.bytesTotal = (await stat(file)).size
      // Rows timed by their number (no time column) need every row before them: one range.
      // On one core a second parsing thread would only take turns with the first and the writer.
      if (this.bytesTotal >= SPLIT_MIN_BYTES && mapping.time.kind !== 'none' && availableParallelism() > 1)
        this.threads.push(new ParserRun())
      const found = await locateData(file, mapping.format)
      planOf(mapping, found.headers, file)
      const tags = mapping.columns.filter((c) => c.tag !== null)
      if (configured)
        for (const c of tags)
          if (!configured.tags.some((t) => t.id === c.tag))
            throw new VigilError(
              'bad-request',
              `${file}: asset "${configured.id}" has no tag "${c.tag}"; map column "${c.source || c.column + 1}" to one of its tags or leave it out`,
            )
      const unitOf = (tag: string, unit: string) => configured?.tags.find((t) => t.id === tag)?.unit ?? unit
      const spec = {
        assetId: mapping.assetId,
        name: mapping.assetName ?? configured?.name ?? mapping.assetId,
        class: mapping.assetClass ?? configured?.class ?? 'other',
        tags: tags.map((c) => ({ id: c.tag!, unit: unitOf(c.tag!, c.unit) })),
      }
      this.stage = await this.o.store.stageImport(spec)
      if (this.cancelled) throw new VigilError('bad-request', 'cancelled')
      this.headerBytes = found.start.offset
      const slow = found.slowReason !== undefined
      const cut =
        this.threads.length > 1 && !slow ? splitPoint(file, found.start.offset, this.bytesTotal) : null
      done = cut === null ? null : await this.parseRanges(found.headers, found.start, cut)
      if (!done) {
        // A split whose halves could differ from one pass (split-parse.ts): the stage starts
        // over and one thread reads the whole file.
        if (cut !== null) this.stage = await this.restage(this.stage, spec)
        if (this.threads.length === 0) this.threads.push(new ParserRun())
        done = await this.parse(this.threads[0]!, found.headers, found.start, undefined, slow)
      }
      this.parsed = done
      if (this.cancelled) return await this.finish('cancelled', 'cancelled; the history is as it was', done)
      if (done.stopped) {
        const first = done.badRows[0]
        return await this.finish('aborted', `aborted at a bad row: ${first?.message ?? ''}`, done)
      }
      this.state = 'committing'
      // Recorded in the commit's own transaction: the dataset is listed exactly when its rows are there.
      await this.stage.commit({
        jobId: this.id,
        assetId: mapping.assetId,
        file,
        size: this.bytesTotal,
        rows: done.rows,
        rejected: done.rejected,
        from: done.rows > 0 ? done.first : null,
        to: done.rows > 0 ? done.last : null,
        mapping,
        reportPath: reportPathOf(this.o.reportsDir, file, this.startedAt),
        startedAt: this.startedAt,
      })
      // The rows are in: a mapping that cannot be saved for next time is a note, not a failure.
      let unsaved = ''
      try {
        this.o.mappings?.save(mapping)
      } catch (e) {
        unsaved = `; the mapping was not saved for the next file: ${(e as Error).message}`
      }
      return await this.finish(
        'done',
        `${done.rows} rows imported, ${done.rejected} rejected (${done.parser})${unsaved}`,
        done,
      )
    } catch (e) {
      if (this.cancelled) return this.finish('cancelled', 'cancelled; the history is as it was', done)
      return this.finish('failed', e instanceof Error ? e.message : String(e), done)
    } finally {
      // Threads still held never started on this file (the job ended before parsing), or
      // were spared by a range that stopped early: idle unless cancelled.
      for (const t of this.threads) t.release(!this.cancelled)
      this.threads = []
    }
  }

  /** The stage emptied and begun again, for a second pass over the file. */
  private async restage(old: ImportStage, spec: Omit<ImportStageSpec, 'stage'>): Promise<ImportStage> {
    this.stage = null
    this.ranges = []
    await old.abort()
    return this.o.store.stageImport(spec)
  }

  /** Both halves of the file on two threads at once, joined; null when one pass could differ. */
  private async parseRanges(
    headers: string[],
    start: { offset: number; line: number },
    cut: number,
  ): Promise<Done | null> {
    const [a, b] = this.threads as [ParserRun, ParserRun]
    const pa = this.parse(a, headers, start, cut, false)
    // A range to the end of the file as it was when the job began: it stops at quotes too.
    const pb = this.parse(b, headers, { offset: cut, line: 1 }, this.bytesTotal, false)
    // A range that fails ends the other: the job fails as a whole.
    pa.catch(() => void b.terminate())
    pb.catch(() => void a.terminate())
    const first = await pa
    if (first.stopped) {
      // Abort mode met a bad row in the first range: one pass stops there, so the second's rows are moot.
      await b.terminate()
      return first
    }
    const second = await pb
    // The two ran at the same time: their peaks add up.
    this.peakWorkerBytes = first.peakBytes + second.peakBytes
    return joinRanges(first, second, this.o.file)
  }

  /** One range (the whole file when `end` is absent) on `thread`, into the stage. */
  private parse(
    thread: ParserRun,
    headers: string[],
    start: { offset: number; line: number },
    end: number | undefined,
    slow: boolean,
  ): Promise<Done> {
    // The parser's batches go straight to the writer's thread; only progress comes here.
    const channel = new MessageChannel()
    this.stage!.attach(channel.port1)
    const init: ImportWorkerInit = {
      stage: channel.port2,
      file: this.o.file,
      mapping: this.o.mapping,
      headers,
      start,
      ...(end !== undefined ? { end } : {}),
      slow,
      onBadRow: this.o.onBadRow,
    }
    const range: RangeProgress = { from: start.offset, bytes: start.offset, rows: 0, rejected: 0 }
    this.ranges.push(range)
    return thread
      .parse(init, (m) => {
        range.bytes = m.bytes
        range.rows = m.rows
        range.rejected = m.rejected
      })
      .then((done) => {
        range.bytes = end ?? this.bytesTotal
        range.rows = done.rows
        range.rejected = done.rejected
        this.peakWorkerBytes = Math.max(this.peakWorkerBytes, done.peakBytes)
        this.threads = this.threads.filter((t) => t !== thread)
        return done
      })
  }

  private async finish(state: ImportState, message: string, done: Done | null): Promise<ImportReport> {
    if (state !== 'done') await this.stage?.abort().catch(() => {})
    this.state = state
    this.message = message
    this.endedAt = Date.now()
    const report: ImportReport = {
      file: this.o.file,
      assetId: this.o.mapping.assetId,
      state,
      rows: state === 'done' ? (done?.rows ?? 0) : 0,
      rejected: done?.rejected ?? this.progress().rejected,
      byReason: done?.byReason ?? { columns: 0, number: 0, time: 0, backwards: 0 },
      badRows: done?.badRows ?? [],
      truncated: (done?.rejected ?? 0) > (done?.badRows.length ?? 0),
      startedAt: this.startedAt,
      endedAt: this.endedAt,
      message,
      ...(done && state === 'done' && done.rows > 0 ? { from: done.first, to: done.last } : {}),
      ...(done ? { parser: done.parser, asset: importedAsset(this.o.mapping, this.o.configured, done) } : {}),
    }
    if (state === 'done') this.parsed = { rows: report.rows, rejected: report.rejected }
    this.finalReport = report
    try {
      this.reportPath = writeReport(this.o.reportsDir, report)
    } catch (e) {
      this.message = `${message}; the report could not be written: ${(e as Error).message}`
    }
    return report
  }
}
