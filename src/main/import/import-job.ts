import { randomUUID } from 'node:crypto'
import { stat } from 'node:fs/promises'
import { MessageChannel, Worker } from 'node:worker_threads'
import { VigilError } from '../../shared/errors.ts'
import type { ImportMapping, ImportProgress, ImportReport, ImportState } from '../../shared/import.ts'
import type { AssetConfig } from '../../shared/plant.ts'
import type { ImportStage } from '../store/import-stage-link.ts'
import type { Store } from '../store/store.ts'
import { workerUrl } from '../worker-url.ts'
import { detectFile } from './detect.ts'
import type { FromImportWorker, ImportWorkerInit, ToImportWorker } from './import-protocol.ts'
import { importedAsset, reportPathOf, writeReport } from './import-report.ts'
import type { MappingStore } from './mapping-store.ts'
import { planOf } from './parse-plan.ts'

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

/**
 * One file's import: detection, a parsing thread, a staged write into the store, and the
 * report. Whatever happens (a bad row in abort mode, a cancel, a failure anywhere) before
 * the stage commits, the stage is dropped and the history is as it was.
 */
export class ImportJob {
  readonly id = randomUUID()
  readonly done: Promise<ImportReport>
  private state: ImportState = 'running'
  private bytesRead = 0
  private bytesTotal = 0
  private rows = 0
  private rejected = 0
  private readonly startedAt = Date.now()
  private endedAt: number | undefined
  private message: string | undefined
  private reportPath: string | undefined
  private finalReport: ImportReport | null = null
  private worker: Worker | null = null
  /** What became of the parsing thread before parse() listened to it. */
  private workerError: Error | null = null
  private workerExited = false
  private stage: ImportStage | null = null
  private cancelled = false
  /** Most the parsing thread held at once (heap and buffers), bytes. */
  peakWorkerBytes = 0
  private readonly o: ImportJobOptions

  constructor(o: ImportJobOptions) {
    this.o = o
    this.done = this.run()
  }

  progress(): ImportProgress {
    const now = this.endedAt ?? Date.now()
    const s = Math.max(1e-3, (now - this.startedAt) / 1000)
    const rate = this.bytesRead / s
    const running = this.state === 'running'
    return {
      jobId: this.id,
      file: this.o.file,
      assetId: this.o.mapping.assetId,
      state: this.state,
      bytesRead: this.bytesRead,
      bytesTotal: this.bytesTotal,
      rows: this.rows,
      rejected: this.rejected,
      rowsPerS: this.rows / s,
      etaS: running && rate > 0 ? Math.max(0, (this.bytesTotal - this.bytesRead) / rate) : null,
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
      await this.worker?.terminate()
    }
    await this.done.catch(() => {})
    return this.progress()
  }

  private async run(): Promise<ImportReport> {
    const { file, mapping, configured } = this.o
    let done: Extract<FromImportWorker, { type: 'done' }> | null = null
    // The thread starts (loads its modules: ~0.1-0.2 s of CPU, seconds on a busy machine)
    // while the file is detected and the stage begun, instead of after.
    this.worker = this.spawn()
    try {
      this.bytesTotal = (await stat(file)).size
      const found = await detectFile(file, mapping.format)
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
      this.stage = await this.o.store.stageImport({
        assetId: mapping.assetId,
        name: mapping.assetName ?? configured?.name ?? mapping.assetId,
        class: mapping.assetClass ?? configured?.class ?? 'other',
        tags: tags.map((c) => ({ id: c.tag!, unit: unitOf(c.tag!, c.unit) })),
      })
      if (this.cancelled) throw new VigilError('bad-request', 'cancelled')
      done = await this.parse(found.headers, found.start, found.slowReason !== undefined)
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
      // Still here when the job ended before parsing.
      void this.worker?.terminate()
      this.worker = null
    }
  }

  private spawn(): Worker {
    const worker = new Worker(workerUrl('import/import.worker.ts', 'import.worker'))
    // Until parse() listens, a failure (a module that does not load) is kept for it.
    worker.on('error', (e) => (this.workerError ??= e))
    worker.on('exit', () => (this.workerExited = true))
    return worker
  }

  private parse(
    headers: string[],
    start: { offset: number; line: number },
    slow: boolean,
  ): Promise<Extract<FromImportWorker, { type: 'done' }>> {
    // The parser's batches go straight to the writer's thread; only progress comes here.
    const channel = new MessageChannel()
    this.stage!.attach(channel.port1)
    const init: ImportWorkerInit = {
      stage: channel.port2,
      file: this.o.file,
      mapping: this.o.mapping,
      headers,
      start,
      slow,
      onBadRow: this.o.onBadRow,
    }
    const worker = this.worker!
    if (this.workerError) return Promise.reject(this.workerError)
    if (this.workerExited)
      return Promise.reject(
        new VigilError(
          'bad-request',
          this.cancelled ? 'cancelled' : 'the parsing thread ended before it started',
        ),
      )
    const begin: ToImportWorker = { type: 'start', init }
    worker.postMessage(begin, [channel.port2])
    return new Promise((resolve, reject) => {
      worker.on('message', (m: FromImportWorker) => {
        if (m.type === 'progress') {
          this.bytesRead = Math.min(m.bytes, this.bytesTotal)
          this.rows = m.rows
          this.rejected = m.rejected
        } else if (m.type === 'done') {
          this.bytesRead = this.bytesTotal
          this.rows = m.rows
          this.rejected = m.rejected
          this.peakWorkerBytes = m.peakBytes
          // The thread reports done only once the writer has acked every batch: all are staged.
          resolve(m)
        } else reject(new VigilError('bad-request', m.message))
      })
      worker.on('error', reject)
      worker.on('exit', () => {
        if (this.cancelled) reject(new VigilError('bad-request', 'cancelled'))
      })
    }).finally(() => {
      this.worker = null
      void worker.terminate()
    }) as Promise<Extract<FromImportWorker, { type: 'done' }>>
  }

  private async finish(
    state: ImportState,
    message: string,
    done: Extract<FromImportWorker, { type: 'done' }> | null,
  ): Promise<ImportReport> {
    if (state !== 'done') await this.stage?.abort().catch(() => {})
    this.state = state
    this.message = message
    this.endedAt = Date.now()
    const report: ImportReport = {
      file: this.o.file,
      assetId: this.o.mapping.assetId,
      state,
      rows: state === 'done' ? (done?.rows ?? 0) : 0,
      rejected: done?.rejected ?? this.rejected,
      byReason: done?.byReason ?? { columns: 0, number: 0, time: 0, backwards: 0 },
      badRows: done?.badRows ?? [],
      truncated: (done?.rejected ?? 0) > (done?.badRows.length ?? 0),
      startedAt: this.startedAt,
      endedAt: this.endedAt,
      message,
      ...(done && state === 'done' && done.rows > 0 ? { from: done.first, to: done.last } : {}),
      ...(done ? { parser: done.parser, asset: importedAsset(this.o.mapping, this.o.configured, done) } : {}),
    }
    if (state === 'done') this.rows = report.rows
    this.finalReport = report
    try {
      this.reportPath = writeReport(this.o.reportsDir, report)
    } catch (e) {
      this.message = `${message}; the report could not be written: ${(e as Error).message}`
    }
    return report
  }
}
