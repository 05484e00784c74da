/*
 * The one writer of the history file, on its own thread so a commit never stalls the main
 * thread. Messages queue up and are written in one transaction at most COMMIT_MS after the
 * first of them arrived, or at once when COMMIT_VALUES values are waiting. Any SQLite error
 * is let through: the thread dies with it and the main thread's next call reports it, rather
 * than the writer carrying on with data silently missing.
 */
import Database from 'better-sqlite3'
import { parentPort, workerData } from 'node:worker_threads'
import { syncAssets } from './asset-sync.ts'
import { BlockWriter, newSlot, type AssetSlot } from './block-writer.ts'
import { LogWriter } from './log-writer.ts'
import { migrate } from './migrations.ts'
import type { FromWriter, ToWriter, WriterInit } from './writer-protocol.ts'

const COMMIT_MS = 250
const COMMIT_VALUES = 500_000

const init = workerData as WriterInit
const port = parentPort!
const db = new Database(init.path)
db.pragma('journal_mode = WAL')
db.pragma('synchronous = NORMAL')
db.pragma('foreign_keys = ON')
// Checkpoints keep the log near 4 MB; after a burst, trim the file back instead of keeping its peak size.
db.pragma('journal_size_limit = 67108864')
const version = migrate(db, { file: init.path })

const assets = syncAssets(db, init.assets)
const slots = new Map<string, AssetSlot>()
for (const [id, rows] of assets) slots.set(id, newSlot(rows.assetRow, rows.tagRows))
const blocks = new BlockWriter(db)
const logs = new LogWriter(db, assets)
db.transaction(() => {
  for (const slot of slots.values()) blocks.loadTail(slot)
})()

type Write = Extract<ToWriter, { type: 'samples' | 'scores' | 'events' }>
let queue: Write[] = []
let queuedValues = 0
let timer: NodeJS.Timeout | null = null

const apply = db.transaction((items: Write[]) => {
  for (const m of items) {
    if (m.type === 'samples') {
      const slot = slots.get(m.batch.assetId)
      if (!slot) throw new Error(`history writer: no asset "${m.batch.assetId}" in the file`)
      blocks.append(slot, m.batch.t, m.batch.values, m.batch.quality)
    } else if (m.type === 'scores') logs.scores(m.batch)
    else logs.events(m.events)
  }
  for (const slot of slots.values()) blocks.commitTail(slot)
})

function commit(): void {
  if (timer) clearTimeout(timer)
  timer = null
  if (queue.length === 0) return
  const items = queue
  queue = []
  queuedValues = 0
  apply(items)
}

function sizeOf(m: Write): number {
  if (m.type === 'samples') return m.batch.t.length * Math.max(1, m.batch.values.length)
  if (m.type === 'scores') return m.batch.t.length * (2 + m.batch.tags.length)
  return m.events.length
}

const post = (m: FromWriter) => port.postMessage(m)

port.on('message', (m: ToWriter) => {
  switch (m.type) {
    case 'flush':
      commit()
      post({ type: 'flushed', id: m.id })
      return
    case 'close':
      commit()
      db.pragma('wal_checkpoint(TRUNCATE)')
      db.close()
      post({ type: 'closed', id: m.id })
      port.close()
      return
    default:
      queue.push(m)
      queuedValues += sizeOf(m)
      if (queuedValues >= COMMIT_VALUES) commit()
      else timer ??= setTimeout(commit, COMMIT_MS)
  }
})

post({ type: 'ready', version })
