import type { PredictionBatch, SampleBatch, ScoreBatch } from '../../shared/samples.ts'

export interface OutMessage {
  topic: string
  payload: Buffer | string
  retain?: boolean
}

/**
 * One wire format of the publisher (Sparkplug B or JSON). It turns what the engine derives
 * into messages; the publisher owns the connection, QoS and what happens while the link is
 * down. Every method encodes synchronously: the batches it is given are not kept.
 */
export interface PublishFormat {
  /** Last will, taken again before every connection attempt (Sparkplug renews bdSeq there). */
  will(): OutMessage
  /** Sent after every connect and on a rebirth request, before any data. */
  births(): OutMessage[]
  samples(b: SampleBatch): OutMessage | null
  scores(s: ScoreBatch): OutMessage | null
  /** A predictor's outputs (RUL, P(defect), setpoint advice), published beside the scores. */
  predictions(p: PredictionBatch): OutMessage | null
  /** Topics on which this format takes commands (Sparkplug NCMD/DCMD). */
  commandTopics: string[]
  /** true when a command asks for the births again. */
  isRebirth(topic: string, payload: Buffer): boolean
}

/** JSON has no NaN: a missing value is null. */
export function jsonColumn(v: ArrayLike<number>): (number | null)[] {
  const out: (number | null)[] = new Array(v.length)
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!
    out[i] = x === x && x !== Infinity && x !== -Infinity ? x : null
  }
  return out
}
