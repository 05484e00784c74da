/*
 * Imports' parsing, on a thread of its own so a multi-gigabyte file never stalls the engine.
 * Batches go straight to the history writer's thread over the stage's port, as transferred
 * buffers; at most IN_FLIGHT of them are unacknowledged at a time (the writer acknowledges
 * each once committed), so memory stays flat however fast the parser runs ahead of the disk,
 * while the writer always has the next batch waiting. Progress and the result go to the main
 * thread. The thread serves one import at a time and waits for the next (parser-thread.ts
 * keeps it, JIT-compiled, between imports). Cancelling is terminating this thread: the main
 * thread then drops the staged rows.
 */
import { getHeapStatistics } from 'node:v8'
import { parentPort } from 'node:worker_threads'
import { BadRowLog } from './bad-rows.ts'
import { parseFile } from './file-parse.ts'
import { planOf } from './parse-plan.ts'
import { RowSink } from './row-sink.ts'
import { ProducerRollups } from '../store/producer-rollups.ts'
import type { PackedRollup } from '../store/rollup-codec.ts'
import type { StagePortBatch, StagePortReply } from '../store/writer-protocol.ts'
import type { FromImportWorker, ImportWorkerInit, ToImportWorker } from './import-protocol.ts'

const IN_FLIGHT = 3
const PROGRESS_MS = 100

const port = parentPort!
const post = (m: FromImportWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer)

/** One import: parses init.file into batches for the stage's port; resolves with its 'done' message. */
async function run(init: ImportWorkerInit): Promise<FromImportWorker> {
  const stage = init.stage
  const send = (b: StagePortBatch, transfer: ArrayBuffer[]) => stage.postMessage(b, transfer)
  // The batches' rollups are folded here, off the writer's thread (producer-rollups.ts).
  const rollups = new ProducerRollups()
  let inFlight = 0
  let wake: (() => void) | null = null
  /** Why the writer refused the stage's batches; the parser stops at its next batch. */
  let refused: string | null = null
  const plan = planOf(init.mapping, init.headers, init.file)
  const log = new BadRowLog(init.file)
  const sink = new RowSink(plan.tags.length, init.onBadRow, log, undefined, plan)
  stage.on('message', (m: StagePortReply) => {
    if (m.type === 'ack') {
      inFlight--
      // Acks hand the sink back its buffers.
      sink.recycle(m)
    } else refused = m.message
    wake?.()
    wake = null
  })
  // The writer closes its end when the stage ends or the store closes: no ack will come.
  stage.on('close', () => {
    refused ??= 'the history store stopped taking this import'
    wake?.()
    wake = null
  })
  const check = () => {
    if (refused !== null) throw new Error(refused)
  }
  let peakBytes = 0
  const measure = () => {
    const h = getHeapStatistics()
    peakBytes = Math.max(peakBytes, h.used_heap_size + h.external_memory)
  }
  let lastProgress = 0
  const progress = (bytes: number) =>
    post({ type: 'progress', bytes, rows: sink.rows + sink.n, rejected: log.total })
  try {
    const parser = await parseFile({
      file: init.file,
      format: init.mapping.format,
      plan,
      start: init.start,
      ...(init.end !== undefined ? { end: init.end } : {}),
      slow: init.slow,
      sink,
      blockingReads: true,
      async pause(bytes) {
        for (const b of sink.take()) {
          while (inFlight >= IN_FLIGHT && refused === null) await new Promise<void>((r) => (wake = r))
          check()
          const rows = rollups.fold(b.t, b.values, b.quality)
          inFlight++
          measure()
          send({ type: 'batch', ...b, rollups: rows }, [
            b.t.buffer as ArrayBuffer,
            ...b.values.map((v) => v.buffer as ArrayBuffer),
            ...b.quality.map((q) => q.buffer as ArrayBuffer),
            ...buffersOfRollups(rows),
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
    // The rows still open, once every batch is out: acked like a batch, before the import commits.
    if (!sink.stopped) {
      check()
      const rest = rollups.rest()
      inFlight++
      send(
        { type: 'batch', t: new Float64Array(0), values: [], quality: [], rollups: rest },
        buffersOfRollups(rest),
      )
    }
    while (inFlight > 0 && refused === null) await new Promise<void>((r) => (wake = r))
    check()
    measure()
    return {
      type: 'done',
      parser,
      nextLine: sink.nextLine,
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
    }
  } finally {
    // Closing the port also ends its listeners, so nothing of this import outlives it.
    stage.close()
  }
}

port.on('message', (m: ToImportWorker) => {
  if (m.type !== 'start') return
  run(m.init).then(post, (e: unknown) =>
    post({ type: 'error', message: e instanceof Error ? e.message : String(e) }),
  )
})

/** The buffers under packed rollup rows (mm and agg share one), each once, to transfer. */
function buffersOfRollups(rows: PackedRollup[]): ArrayBuffer[] {
  return [...new Set(rows.map((r) => r.mm.buffer as ArrayBuffer))]
}
