import type { Database } from 'better-sqlite3'
import { randomUUID } from 'node:crypto'
import type { MessagePort } from 'node:worker_threads'
import { buffersOf } from './batch-checks.ts'
import type { DatasetRecord } from './import-datasets.ts'
import type { ImportStageSpec } from './import-stage.ts'
import type { WriterLink } from './writer-link.ts'

export type { ImportStageSpec }

/** The main thread's handle on one staged import (import-stage.ts holds the writer's side). */
export interface ImportStage {
  id: string
  /** Queues rows, in the spec's tag order and ascending time; the buffers pass to the writer. */
  write(b: { t: Float64Array; values: Float64Array[]; quality: Uint8Array[] }): void
  /**
   * Hands the writer one end of a channel whose other end a producer thread (the import's
   * parser) posts batches on (StagePortBatch), answered there one ack each once committed
   * (StagePortReply): rows then go thread to thread, without the main thread between.
   */
  attach(port: MessagePort): void
  /** Resolves once the rows are part of the asset's history, in one transaction that also records `dataset`. */
  commit(dataset?: DatasetRecord): Promise<void>
  /** Resolves once the stage is gone and the history is as it was before begin. */
  abort(): Promise<void>
}

export async function stageImport(
  link: WriterLink,
  spec: Omit<ImportStageSpec, 'stage'>,
): Promise<ImportStage> {
  const stage = randomUUID()
  await link.request({ type: 'import-begin', spec: { ...spec, stage } })
  let ended = false
  const end = async (commit: boolean, dataset?: DatasetRecord) => {
    if (ended) return
    ended = true
    await link.request({ type: 'import-end', stage, commit, ...(dataset ? { dataset } : {}) })
  }
  return {
    id: stage,
    write({ t, values, quality }) {
      link.post({ type: 'import-batch', stage, t, values, quality }, buffersOf([t, ...values, ...quality]))
    },
    attach(port) {
      link.post({ type: 'import-port', stage, port }, [port])
    },
    commit: (dataset) => end(true, dataset),
    abort: () => end(false),
  }
}

export interface StoredAsset {
  id: string
  name: string
  class: string
  /** In position order; tags that left the configuration last. */
  tags: { id: string; unit: string }[]
  from: number | null
  to: number | null
  samples: number
}

export function storedAsset(db: Database, assetId: string): StoredAsset | null {
  const a = db.prepare('SELECT id, name, class FROM assets WHERE asset = ?').get(assetId) as
    { id: number; name: string; class: string } | undefined
  if (!a) return null
  const tags = db
    .prepare('SELECT tag AS id, unit FROM tags WHERE asset_id = ? ORDER BY position IS NULL, position, id')
    .all(a.id) as { id: string; unit: string }[]
  const span = db
    .prepare(
      'SELECT min(t0) AS "from", max(t1) AS "to", coalesce(sum(n), 0) AS samples FROM time_blocks WHERE asset_id = ?',
    )
    .get(a.id) as { from: number | null; to: number | null; samples: number }
  return { id: assetId, name: a.name, class: a.class, tags, ...span }
}
