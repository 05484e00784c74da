import { Piscina } from 'piscina'
import { workerResourceLimits } from '../worker-limits.ts'
import type { PipelineTask, PipelineWorkerData, TaskResult } from './pipeline.worker.ts'

/** What the pipeline says when a worker thread dies; Piscina has already started its replacement. */
export interface WorkerCrash {
  shard: number
  /** The assets pinned to the thread: their rolling state and half-built windows are gone. */
  assetIds: string[]
  message: string
}

export interface ShardCounters {
  workerRestarts: number
  batchesRetried: number
  batchesLost: number
}

export interface ShardOptions {
  index: number
  assetIds: string[]
  filename: string
  workerData: PipelineWorkerData
  /** A batch still running after this long is taken as a hung thread: the thread is replaced. */
  taskTimeoutMs: number
  counters: ShardCounters
  onCrash(crash: WorkerCrash): void
}

/**
 * One pipeline thread: a Piscina pool of exactly one thread, so an asset's batches keep their
 * order and its state stays in one place. When the thread dies (exit, uncaught error, out of
 * memory, hung past the timeout) Piscina replaces it; the batch it held is sent once more to
 * the new thread, and counted as lost if that one dies too. Batches run one at a time in
 * arrival order, so a retried batch still comes before the batches that arrived after it.
 */
export function createShard(opts: ShardOptions) {
  const pool = new Piscina({
    filename: opts.filename,
    workerData: opts.workerData,
    minThreads: 1,
    maxThreads: 1,
    concurrentTasksPerWorker: 1,
    idleTimeout: Infinity,
    resourceLimits: workerResourceLimits(),
  })
  let deaths = 0
  let closing = false
  let lastError = ''
  let tail: Promise<unknown> = Promise.resolve()

  // Piscina reports a thread that dies with no task running as an 'error' event, which would
  // take the whole process down if nobody listened.
  pool.on('error', (e: unknown) => void (lastError = messageOf(e)))
  pool.on('workerDestroy', () => {
    if (closing) return
    deaths++
    opts.counters.workerRestarts++
    // After the rejection of the batch it held (or the 'error' event) has told us why.
    setImmediate(() => {
      const why = lastError || 'it exited'
      lastError = ''
      opts.onCrash({
        shard: opts.index,
        assetIds: opts.assetIds,
        message: `pipeline thread ${opts.index} died (${why}); a new one was started`,
      })
    })
  })

  // No transfer list: the batch must outlive a thread that dies holding it, and a structured
  // clone costs the same one copy as a slice before transferring.
  // A task is the batches coalesced into one message (coalesce.ts): they live or die together.
  const runOnce = (task: PipelineTask) =>
    pool.run(task, { signal: AbortSignal.timeout(opts.taskTimeoutMs) }) as Promise<TaskResult>

  async function runWithRetry(task: PipelineTask): Promise<TaskResult> {
    const batches = task.batches.length
    const before = deaths
    try {
      return await runOnce(task)
    } catch (e) {
      // The thread lived and the task failed: the batch itself is at fault; another try would fail alike.
      if (closing || deaths === before) {
        opts.counters.batchesLost += batches
        throw e
      }
      lastError = messageOf(e)
    }
    opts.counters.batchesRetried += batches
    try {
      return await runOnce(task)
    } catch (e) {
      opts.counters.batchesLost += batches
      if (deaths === before + 1 && !closing) throw e
      lastError = messageOf(e)
      throw new Error(
        `pipeline: ${describeTask(task)} was lost: its thread died, and so did the next (${lastError})`,
        { cause: e },
      )
    }
  }

  return {
    run(task: PipelineTask): Promise<TaskResult> {
      const p = tail.then(() => runWithRetry(task))
      tail = p.catch(() => {})
      return p
    },
    /** The live thread (replaced after a death): for its event-loop utilisation. */
    threads: () => pool.threads,
    async close(): Promise<void> {
      closing = true
      await pool.close({ force: true })
    },
  }
}

function describeTask(task: PipelineTask): string {
  const b = task.batches
  const samples = b.reduce((n, x) => n + x.t.length, 0)
  if (b.length === 1) return `a batch of ${samples} samples for "${b[0]!.assetId}"`
  const assets = [...new Set(b.map((x) => x.assetId))]
  return `${b.length} batches (${samples} samples) for ${assets.length} assets ("${assets[0]}"...)`
}

function messageOf(e: unknown): string {
  if (e instanceof Error) return e.name === 'AbortError' ? 'hung: no answer within the time limit' : e.message
  return String(e)
}
