/*
 * The one writer of the history file, on its own thread so a commit never stalls the main
 * thread. Messages queue up and are written in one transaction at most COMMIT_MS after the
 * first of them arrived, or at once when COMMIT_VALUES values are waiting.
 *
 * A full disk (or the configured size cap, SQLite's max_page_count) is not fatal: the failed
 * transaction rolls back, the batches stay queued (up to MAX_BACKLOG values, oldest samples
 * dropped beyond), the store reports itself unavailable with the reason, and the commit is
 * retried every RETRY_MS and at once when the cap is raised. Any other SQLite error is let
 * through: the thread dies with it and the main thread's next call reports it, rather than
 * the writer carrying on with data silently missing.
 */
import Database from 'better-sqlite3'
import { parentPort, workerData, type MessagePort } from 'node:worker_threads'
import type { StoreStatus } from '../../shared/contract.ts'
import { syncAssets } from './asset-sync.ts'
import { buffersOf } from './batch-checks.ts'
import { BlockWriter, newSlot, type AssetSlot } from './block-writer.ts'
import { LogWriter } from './log-writer.ts'
import { migrate } from './migrations.ts'
import { ImportStages } from './import-stage.ts'
import { RecordWriter } from './record-writer.ts'
import { retentionPass, type RetentionPolicy, type RetentionResult } from './retention.ts'
import { RollupWriter } from './rollup-writer.ts'
import type { FromWriter, StagePortBatch, StagePortReply, ToWriter, WriterInit } from './writer-protocol.ts'

const COMMIT_MS = 250
const COMMIT_VALUES = 500_000
const RETRY_MS = 1_000
const MAX_BACKLOG = 20_000_000
const BACKFILL_BLOCKS = 64

const init = workerData as WriterInit
const port = parentPort!
const post = (m: FromWriter) => port.postMessage(m)
const db = new Database(init.path)
db.pragma('journal_mode = WAL')
db.pragma('synchronous = NORMAL')
db.pragma('foreign_keys = ON')
// Checkpoints keep the log near 4 MB; after a burst, trim the file back instead of keeping its peak size.
db.pragma('journal_size_limit = 67108864')
const version = migrate(db, { file: init.path })
const pageSize = db.pragma('page_size', { simple: true }) as number
const setLimit = (bytes: number | null | undefined) =>
  db.pragma(`max_page_count = ${bytes ? Math.max(1, Math.floor(bytes / pageSize)) : 4294967294}`)
setLimit(init.maxBytes)

const assets = syncAssets(db, init.assets)
const rollups = new RollupWriter(db)
const blocks = new BlockWriter(db, rollups)
let slots = new Map<string, AssetSlot>()
let logs = new LogWriter(db, assets)
const records = new RecordWriter(db)
const imports = new ImportStages(db, blocks)
imports.dropAbandoned()

/** (Re)builds the in-memory state from the file: at start, and after a transaction rolled back. */
function loadState(): void {
  rollups.reset()
  imports.rolledBack()
  logs = new LogWriter(db, assets)
  slots = new Map([...assets].map(([id, rows]) => [id, newSlot(rows.assetRow, rows.tagRows)]))
  db.transaction(() => {
    for (const slot of slots.values()) blocks.loadTail(slot)
  })()
}
loadState()

type Write = Extract<
  ToWriter,
  { type: 'samples' | 'scores' | 'predictions' | 'events' | 'records' | 'import-batch' }
>
let queue: Write[] = []
let queuedValues = 0
let timer: NodeJS.Timeout | null = null
let closed = false
let status: StoreStatus = { state: 'ok', since: Date.now(), backlog: 0, dropped: 0 }
/** Ports of stages whose producers post batches straight here (import-port), in the order attached. */
const stagePorts = new Map<string, MessagePort[]>()

const apply = db.transaction((items: Write[]) => {
  for (const m of items) {
    if (m.type === 'samples') {
      const slot = slots.get(m.batch.assetId)
      if (!slot) throw new Error(`history writer: no asset "${m.batch.assetId}" in the file`)
      blocks.append(slot, m.batch.t, m.batch.values, m.batch.quality)
    } else if (m.type === 'scores') logs.scores(m.batch)
    else if (m.type === 'predictions') logs.predictions(m.batch)
    else if (m.type === 'records') records.apply(m.ops)
    else if (m.type === 'import-batch')
      imports.append(m.stage, m.t, m.values, m.quality, m.producer, m.rollups)
    else logs.events(m.events)
  }
  for (const slot of slots.values()) blocks.commitTail(slot)
  rollups.flush()
})

const isFull = (e: unknown) => (e as { code?: string } | null)?.code === 'SQLITE_FULL'

function setStatus(next: Omit<StoreStatus, 'since' | 'backlog' | 'dropped'>): void {
  const changed = next.state !== status.state || next.message !== status.message
  status = {
    ...next,
    since: changed ? Date.now() : status.since,
    backlog: queuedValues,
    dropped: status.dropped,
  }
  post({ type: 'status', status })
}

/** Runs a write; on a full disk rolls the in-memory state back to the file's and reports it. */
function guarded(what: string, write: () => void): boolean {
  try {
    write()
    if (status.state !== 'ok') setStatus({ state: 'ok' })
    return true
  } catch (e) {
    if (!isFull(e)) throw e
    loadState()
    const cap = init.maxBytes ? ` (size cap ${init.maxBytes} bytes)` : ''
    setStatus({
      state: 'unavailable',
      message: `history store ${init.path} is full${cap}: ${what} waits; ${(e as Error).message}`,
    })
    return false
  }
}

function commit(): boolean {
  if (timer) clearTimeout(timer)
  timer = null
  if (queue.length === 0) return true
  const items = queue
  if (guarded(`${queuedValues} values`, () => apply(items))) {
    queue = []
    queuedValues = 0
    // The rows are in the file (SQLite copied them): the buffers go back to be filled again,
    // so a long import allocates none after its first few batches.
    for (const m of items)
      if (m.type === 'import-batch' && m.viaPort)
        reply(m.stage, m.producer, { type: 'ack', t: m.t, values: m.values, quality: m.quality }, [
          m.t,
          ...m.values,
          ...m.quality,
        ])
    return true
  }
  // The stage's producer would wait for acks that may not come for a long time: it is told
  // why and stops; its import fails and aborts, as it would have on a failed flush.
  for (const m of items)
    if (m.type === 'import-batch' && m.viaPort) {
      reply(m.stage, m.producer, {
        type: 'error',
        message: status.message ?? 'the history store cannot commit',
      })
      closePort(m.stage)
    }
  while (queuedValues > MAX_BACKLOG) {
    const i = queue.findIndex((m) => m.type === 'samples')
    if (i < 0) break
    const n = sizeOf(queue[i]!)
    queue.splice(i, 1)
    queuedValues -= n
    status.dropped += n
  }
  timer = setTimeout(commit, RETRY_MS)
  return false
}

function reply(
  stage: string,
  producer: number | undefined,
  m: StagePortReply,
  buffers: ArrayBufferView[] = [],
): void {
  stagePorts.get(stage)?.[producer ?? 0]?.postMessage(m, buffersOf(buffers))
}

/** Closes every port of the stage. */
function closePort(stage: string): void {
  for (const p of stagePorts.get(stage) ?? []) p.close()
  stagePorts.delete(stage)
}

/**
 * Batches of a producer thread's stage, straight from it: each is committed as soon as it
 * arrives (an import is throughput, not latency, but waiting for COMMIT_MS would idle the
 * writer between the producer's batches) and acked on the port after its commit.
 */
function openPort(stage: string, stagePort: MessagePort): void {
  const ports = stagePorts.get(stage) ?? []
  stagePorts.set(stage, ports)
  const producer = ports.push(stagePort) - 1
  stagePort.on('message', (b: StagePortBatch) => {
    // After the stage ended (an abort racing a batch in transit): nothing to add it to.
    if (b.type !== 'batch' || !imports.has(stage)) return
    const m: Write = {
      type: 'import-batch',
      stage,
      t: b.t,
      values: b.values,
      quality: b.quality,
      viaPort: true,
      producer,
      ...(b.rollups ? { rollups: b.rollups } : {}),
    }
    queue.push(m)
    queuedValues += sizeOf(m)
    if (status.state === 'ok') commit()
  })
}

function sizeOf(m: Write): number {
  if (m.type === 'samples') return m.batch.t.length * Math.max(1, m.batch.values.length)
  if (m.type === 'scores') return m.batch.t.length * (2 + m.batch.tags.length)
  if (m.type === 'predictions') return m.batch.t.length * 4
  if (m.type === 'records') return m.ops.length
  if (m.type === 'import-batch') return m.t.length * Math.max(1, m.values.length)
  return m.events.length
}

/**
 * Background work in small transactions, yielding to queued batches between them. The work
 * must be idempotent: after a full disk it starts over from a fresh iterator.
 */
function background(start: () => Iterator<void>, done: (error?: string) => void): void {
  let steps = start()
  const tick = () => {
    if (closed) return
    try {
      let r: IteratorResult<void> | undefined
      // Waiting batches go first; if they still do not fit, the step runs anyway: retention may make room.
      if (status.state !== 'ok') commit()
      if (!guarded('retention and rollup upkeep', () => (r = steps.next()))) {
        steps = start()
        return void setTimeout(tick, RETRY_MS)
      }
      if (r?.done) done()
      else setImmediate(tick)
    } catch (e) {
      done((e as Error).message)
    }
  }
  setImmediate(tick)
}

function* backfill(): Generator<void> {
  // flush() in the same transaction as the marks: a block marked rolled must have its rollup rows written.
  const step = db.transaction(() => {
    const n = rollups.backfill(BACKFILL_BLOCKS)
    rollups.flush()
    return n
  })
  while (step() > 0) yield
}

let policy: RetentionPolicy | undefined = init.retention
let retaining = false
function retain(then: (error?: string, value?: RetentionResult) => void): void {
  if (retaining || !policy) return then(undefined, { blocks: 0, rollups: 0, predictions: 0 })
  retaining = true
  const out: RetentionResult = { blocks: 0, rollups: 0, predictions: 0 }
  background(
    () => retentionPass(db, policy!, out),
    (error) => {
      retaining = false
      then(error, out)
    },
  )
}

// A file from before rollups (or fragments sealed as they were) is folded in the background.
background(backfill, (error) => {
  // Not a full disk (that is retried): let the thread die with it, as with any other write error.
  if (error)
    setImmediate(() => {
      throw new Error(`history writer: rollup backfill failed: ${error}`)
    })
  retain(() => {})
})
const retentionTimer = setInterval(() => retain(() => {}), init.retentionEveryMs ?? 3_600_000)

port.on('message', (m: ToWriter) => {
  switch (m.type) {
    case 'flush':
      return post(commit() ? { type: 'done', id: m.id } : { type: 'done', id: m.id, error: status.message })
    case 'limit':
      init.maxBytes = m.maxBytes ?? undefined
      setLimit(m.maxBytes)
      commit()
      return post({ type: 'done', id: m.id })
    case 'import-begin':
    case 'import-end': {
      // In order with the queue: a stage begins after, and ends after, everything posted before.
      if (!commit()) return post({ type: 'done', id: m.id, error: status.message })
      try {
        if (m.type === 'import-begin') imports.begin(m.spec)
        else {
          closePort(m.stage)
          imports.end(m.stage, m.commit, m.dataset)
        }
      } catch (e) {
        return post({ type: 'done', id: m.id, error: (e as Error).message })
      }
      // Committed blocks not rolled up while staged (import-stage.ts) join the rollups in the
      // background; until then queries read them raw.
      if (m.type === 'import-end' && m.commit) background(backfill, () => {})
      return post({ type: 'done', id: m.id })
    }
    case 'import-port':
      if (imports.has(m.stage)) openPort(m.stage, m.port)
      else m.port.close()
      return
    case 'retain':
      if (m.policy) policy = m.policy
      return retain((error, value) => post({ type: 'done', id: m.id, error, value }))
    case 'close': {
      clearInterval(retentionTimer)
      // An open port would keep this thread alive after the file is closed.
      for (const stage of [...stagePorts.keys()]) closePort(stage)
      const stored = commit()
      if (timer) clearTimeout(timer)
      closed = true
      if (stored) db.pragma('wal_checkpoint(TRUNCATE)')
      db.close()
      post({
        type: 'done',
        id: m.id,
        ...(stored ? {} : { error: `${queuedValues} values were not stored: ${status.message}` }),
      })
      port.close()
      return
    }
    default:
      queue.push(m)
      queuedValues += sizeOf(m)
      if (status.state !== 'ok') return
      if (queuedValues >= COMMIT_VALUES) commit()
      else timer ??= setTimeout(commit, COMMIT_MS)
  }
})

post({ type: 'ready', version })
