import { VigilError } from '../../shared/errors.ts'

/** Where an HTTP-fed asset takes readings: columns in its tag order, times ascending. */
export interface IngestSink {
  tags: readonly string[]
  /** Takes the rows; returns how many. Throws a VigilError naming the reading it refuses. */
  accept(t: Float64Array, values: Float64Array[]): number
}

/**
 * Connects the ingest route (in the headless server) to the http sources the engine started:
 * each source attaches its asset's sink, the route looks the asset up. One bus per engine.
 */
export class IngestBus {
  private readonly sinks = new Map<string, IngestSink>()

  /** Returns the detach. */
  attach(assetId: string, sink: IngestSink): () => void {
    if (this.sinks.has(assetId))
      throw new VigilError('config.invalid', `asset ${assetId}: a second http source for one asset`)
    this.sinks.set(assetId, sink)
    return () => {
      if (this.sinks.get(assetId) === sink) this.sinks.delete(assetId)
    }
  }

  sink(assetId: string): IngestSink | undefined {
    return this.sinks.get(assetId)
  }

  assets(): string[] {
    return [...this.sinks.keys()]
  }
}

/** A reading older than what the asset already took: answered 409, so a device's retry of a request that did arrive is told so. */
export class OutOfOrderError extends VigilError {
  constructor(message: string) {
    super('bad-request', message)
  }
}
