import type { SampleBatch } from '../../shared/samples.ts'
import type { PipelineResult, PipelineTask, TaskResult } from './pipeline.worker.ts'

interface Waiting {
  batch: SampleBatch
  resolve(r: PipelineResult): void
  reject(e: unknown): void
}

export interface CoalesceOptions {
  /** Samples per message at most; a batch longer than this still travels whole. */
  maxSamples: number
  /** Windows per model call at most, passed to the thread. */
  maxWindows: number
  /** Current stride of model windows (load shedding); read per message. */
  stride(): number
  send(task: PipelineTask): Promise<TaskResult>
  /** Told about each message's model calls, once it is answered. */
  onCalls(calls: TaskResult['calls']): void
}

/**
 * One message in flight per pipeline thread; what arrives meanwhile waits here and leaves as
 * the next message, whole. An idle thread gets a batch at once (no timer adds latency), a busy
 * one gets everything that came while it worked, so messages and model calls grow with the
 * load instead of their number: at 100 pumps the thread sees tens of messages a second, not
 * thousands. Batches of one asset keep their order: the queue is FIFO and one message runs at
 * a time.
 */
export class Coalescer {
  private readonly opts: CoalesceOptions
  private readonly queue: Waiting[] = []
  private head = 0
  /** Samples waiting here, and in the message in flight. */
  private waitingSamples = 0
  private flyingSamples = 0
  private busy = false

  constructor(opts: CoalesceOptions) {
    this.opts = opts
  }

  /** Samples not yet answered: waiting plus in flight. */
  depth(): number {
    return this.waitingSamples + this.flyingSamples
  }

  /** Samples waiting for the thread (not yet sent). */
  waiting(): number {
    return this.waitingSamples
  }

  submit(batch: SampleBatch): Promise<PipelineResult> {
    return new Promise<PipelineResult>((resolve, reject) => {
      this.queue.push({ batch, resolve, reject })
      this.waitingSamples += batch.t.length
      if (!this.busy) this.flush()
    })
  }

  private flush(): void {
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
    this.busy = true
    const task: PipelineTask = {
      batches: take.map((w) => w.batch),
      maxWindows: this.opts.maxWindows,
      stride: this.opts.stride(),
    }
    this.opts.send(task).then(
      (r) => {
        this.opts.onCalls(r.calls)
        take.forEach((w, i) => w.resolve(r.results[i]!))
        this.next()
      },
      (e: unknown) => {
        for (const w of take) w.reject(e)
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
