import type { SampleBatch } from '../../shared/samples.ts'
import type { PipelineResult, PipelineTask, TaskResult } from './pipeline.worker.ts'

interface Waiting {
  batch: SampleBatch
  /** performance.now() when it arrived. */
  at: number
  resolve(r: PipelineResult): void
  reject(e: unknown): void
}

export interface CoalesceOptions {
  /** Samples per message at most; a batch longer than this still travels whole. */
  maxSamples: number
  /**
   * An idle thread waits this long for more batches before it is sent what came (0: at once).
   * Sources tick independently, so without it a thread would get one asset at a time.
   */
  lingerMs: number
  /** Windows per model call at most, passed to the thread. */
  maxWindows: number
  /** Current stride of model windows (load shedding); read per message. */
  stride(): number
  send(task: PipelineTask): Promise<TaskResult>
  /** Told about each answered message: its model calls, the thread's CPU time so far. */
  onAnswer(r: TaskResult): void
}

/**
 * One message in flight per pipeline thread; what arrives meanwhile waits here and leaves as
 * the next message, whole. An idle thread gets what arrived within lingerMs of the first batch
 * (at once when lingerMs is 0), a busy one everything that came while it worked, so messages
 * and model calls grow with the load instead of their number: at 100 pumps the thread sees
 * tens of messages a second, not thousands. Batches of one asset keep their order: the queue
 * is FIFO and one message runs at a time.
 */
export class Coalescer {
  private readonly opts: CoalesceOptions
  private readonly queue: Waiting[] = []
  private head = 0
  /** Samples waiting here, and in the message in flight. */
  private waitingSamples = 0
  private flyingSamples = 0
  private flyingSince = 0
  private busy = false
  private timer: ReturnType<typeof setTimeout> | null = null

  constructor(opts: CoalesceOptions) {
    this.opts = opts
  }

  /** Samples not yet answered: waiting plus in flight. */
  depth(): number {
    return this.waitingSamples + this.flyingSamples
  }

  /** How long the oldest unanswered batch has waited, ms; 0 when there is none. */
  oldestMs(now = performance.now()): number {
    if (this.busy) return now - this.flyingSince
    const w = this.queue[this.head]
    return w ? now - w.at : 0
  }

  submit(batch: SampleBatch): Promise<PipelineResult> {
    return new Promise<PipelineResult>((resolve, reject) => {
      this.queue.push({ batch, at: performance.now(), resolve, reject })
      this.waitingSamples += batch.t.length
      if (this.busy || this.timer) return
      if (this.opts.lingerMs > 0 && this.waitingSamples < this.opts.maxSamples)
        this.timer = setTimeout(() => {
          this.timer = null
          if (!this.busy) this.flush()
        }, this.opts.lingerMs)
      else this.flush()
    })
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    if (this.head === this.queue.length) {
      this.queue.length = 0
      this.head = 0
      return
    }
    const take: Waiting[] = []
    let samples = 0
    while (this.head < this.queue.length) {
      const w = this.queue[this.head]!
      if (take.length > 0 && samples + w.batch.t.length > this.opts.maxSamples) break
      take.push(w)
      samples += w.batch.t.length
      this.head++
    }
    // Drop the answered front now and then, so a queue that never empties does not grow.
    if (this.head > 1024) {
      this.queue.splice(0, this.head)
      this.head = 0
    }
    this.waitingSamples -= samples
    this.flyingSamples = samples
    this.flyingSince = take[0]!.at
    this.busy = true
    const task: PipelineTask = {
      batches: take.map((w) => w.batch),
      maxWindows: this.opts.maxWindows,
      stride: this.opts.stride(),
    }
    this.opts.send(task).then(
      (r) => {
        this.opts.onAnswer(r)
        take.forEach((w, i) => w.resolve(r.results[i]!))
        this.next()
      },
      (e: unknown) => {
        for (const w of take) w.reject(take.length > 1 ? ownError(e, w.batch) : e)
        this.next()
      },
    )
  }

  private next(): void {
    this.busy = false
    this.flyingSamples = 0
    this.flush()
  }
}

/** A message's loss, told about each of its batches in that batch's own words. */
function ownError(e: unknown, b: SampleBatch): unknown {
  if (!(e instanceof Error) || !e.message.startsWith('pipeline: ')) return e
  const i = e.message.indexOf(' was lost')
  if (i < 0) return e
  return new Error(`pipeline: a batch of ${b.t.length} samples for "${b.assetId}"${e.message.slice(i)}`, {
    cause: e,
  })
}
