import type { SampleBatch, ScoreBatch } from '../../shared/samples.ts'
import type { StoredEvent } from './history-types.ts'

/** What the writer needs of the plant: asset ids, names, classes and tag order. */
export interface WriterInit {
  path: string
  assets: { id: string; name: string; class: string; tags: { id: string; unit: string }[] }[]
}

/** Messages to the writer, handled strictly in order: a flush covers everything posted before it. */
export type ToWriter =
  | { type: 'samples'; batch: SampleBatch }
  | { type: 'scores'; batch: ScoreBatch }
  | { type: 'events'; events: StoredEvent[] }
  | { type: 'flush'; id: number }
  | { type: 'close'; id: number }

export type FromWriter =
  { type: 'ready'; version: number } | { type: 'flushed'; id: number } | { type: 'closed'; id: number }
