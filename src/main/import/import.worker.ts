/*
 * One import's parsing, on its own thread so a multi-gigabyte file never stalls the engine.
 * Batches go to the main thread as transferred buffers; at most IN_FLIGHT of them are
 * unacknowledged at a time (the main thread acknowledges once the writer has committed one),
 * so memory stays flat however fast the parser runs ahead of the disk. Cancelling is
 * terminating this thread: the main thread then drops the staged rows.
 */
import { getHeapStatistics } from 'node:v8'
import { parentPort, workerData } from 'node:worker_threads'
import { BadRowLog } from './bad-rows.ts'
import { parseFile } from './file-parse.ts'
import { planOf } from './parse-plan.ts'
import { RowSink } from './row-sink.ts'
import type { FromImportWorker, ImportWorkerInit } from './import-protocol.ts'

const IN_FLIGHT = 2
const PROGRESS_MS = 100

const init = workerData as ImportWorkerInit
const port = parentPort!
const post = (m: FromImportWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer)

let inFlight = 0
let wake: (() => void) | null = null
port.on('message', (m: { type: 'ack' }) => {
  if (m.type !== 'ack') return
  inFlight--
  wake?.()
  wake = null
})

let peakBytes = 0
const measure = () => {
  const h = getHeapStatistics()
  peakBytes = Math.max(peakBytes, h.used_heap_size + h.external_memory)
}

async function run(): Promise<void> {
  const plan = planOf(init.mapping, init.headers, init.file)
  const log = new BadRowLog(init.file)
  const sink = new RowSink(plan.tags.length, init.onBadRow, log, undefined, plan)
  let lastProgress = 0
  const progress = (bytes: number) =>
    post({ type: 'progress', bytes, rows: sink.rows + sink.n, rejected: log.total })
  const parser = await parseFile({
    file: init.file,
    format: init.mapping.format,
    plan,
    start: init.start,
    slow: init.slow,
    sink,
    async pause(bytes) {
      for (const b of sink.take()) {
        while (inFlight >= IN_FLIGHT) await new Promise<void>((r) => (wake = r))
        inFlight++
        measure()
        post({ type: 'batch', ...b }, [
          b.t.buffer as ArrayBuffer,
          ...b.values.map((v) => v.buffer as ArrayBuffer),
          ...b.quality.map((q) => q.buffer as ArrayBuffer),
        ])
      }
      const now = performance.now()
      if (now - lastProgress >= PROGRESS_MS) {
        lastProgress = now
        measure()
        progress(bytes)
      }
      return true
    },
  })
  while (inFlight > 0) await new Promise<void>((r) => (wake = r))
  measure()
  post({
    type: 'done',
    parser,
    rows: sink.rows,
    rejected: log.total,
    stopped: sink.stopped,
    badRows: log.rows,
    byReason: log.byReason,
    first: sink.first,
    last: sink.last,
    min: Array.from(sink.min),
    max: Array.from(sink.max),
    peakBytes,
  })
}

run().catch((e: unknown) => post({ type: 'error', message: e instanceof Error ? e.message : String(e) }))
