import type { LiveMessage, SampleBatch, ScoreBatch } from '../../shared/samples.ts'

type Samples = Extract<LiveMessage, { topic: 'samples' }>
type Scores = Extract<LiveMessage, { topic: 'scores' }>

/**
 * The first thing the engine sheds under overload (engine/load-shed.ts): instead of one live
 * message per processed batch, each asset's samples and scores are held and sent as one
 * message per interval. Clients still get every sample, later and in fewer, larger frames, so
 * the main thread encodes and sends a fraction of the messages. Alarms, status and faults
 * are never held.
 */
export class LiveMerge {
  private readonly samples = new Map<string, Samples[]>()
  private readonly scores = new Map<string, Scores[]>()
  /** Messages folded into another one, so never sent on their own. */
  merged = 0

  add(m: Samples | Scores): void {
    const key = m.topic === 'samples' ? m.batch.assetId : `${m.batch.assetId}\n${m.batch.modelId}`
    const map = (m.topic === 'samples' ? this.samples : this.scores) as Map<string, (Samples | Scores)[]>
    const list = map.get(key)
    if (list) {
      list.push(m)
      this.merged++
    } else map.set(key, [m])
  }

  /** Sends what is held, one message per asset (and model), and forgets it. */
  flush(emit: (m: LiveMessage) => void): void {
    for (const list of this.samples.values()) emit(mergeSamples(list))
    for (const list of this.scores.values()) emit(mergeScores(list))
    this.samples.clear()
    this.scores.clear()
  }
}

function mergeSamples(list: Samples[]): Samples {
  if (list.length === 1) return list[0]!
  const last = list[list.length - 1]!
  const batches = list.map((m) => m.batch as SampleBatch & { quality: Uint8Array[] })
  const tags = last.batch.values.length
  const batch = {
    assetId: last.batch.assetId,
    t: cat(
      Float64Array,
      batches.map((b) => b.t),
    ),
    values: Array.from({ length: tags }, (_, k) =>
      cat(
        Float64Array,
        batches.map((b) => b.values[k]!),
      ),
    ),
    quality: Array.from({ length: tags }, (_, k) =>
      cat(
        Uint8Array,
        batches.map((b) => b.quality[k]!),
      ),
    ),
  }
  return last.rolling ? { topic: 'samples', batch, rolling: last.rolling } : { topic: 'samples', batch }
}

function mergeScores(list: Scores[]): Scores {
  if (list.length === 1) return list[0]!
  const b = list.map((m) => m.batch)
  const last = b[b.length - 1]!
  const batch: ScoreBatch = {
    ...last,
    t: cat(
      Float64Array,
      b.map((x) => x.t),
    ),
    score: cat(
      Float64Array,
      b.map((x) => x.score),
    ),
    anomaly: cat(
      Uint8Array,
      b.map((x) => x.anomaly),
    ),
    contrib: cat(
      Float64Array,
      b.map((x) => x.contrib),
    ),
    sensorState: cat(
      Uint8Array,
      b.map((x) => x.sensorState),
    ),
  }
  return { topic: 'scores', batch }
}

function cat<A extends Float64Array | Uint8Array>(Ctor: { new (n: number): A }, parts: A[]): A {
  let n = 0
  for (const p of parts) n += p.length
  const out = new Ctor(n)
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}
