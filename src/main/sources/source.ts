import type { z } from 'zod'
import type { SeriesBlock } from '../../shared/contract.ts'
import type { ReplayState } from '../../shared/import.ts'
import type { AssetConfig } from '../../shared/plant.ts'
import type { ActiveFault, FaultKind, SampleBatch, SourceStatus } from '../../shared/samples.ts'
import type { SetpointInfo } from '../../shared/setpoints.ts'
import type { IngestBus } from '../ingest/ingest-bus.ts'

/** Where a running source sends what it reads. */
export interface SourceOutput {
  /** Columnar batch in the asset's tag order; ownership of the buffers passes to the engine. */
  batch(b: SampleBatch): void
  status(s: Omit<SourceStatus, 'assetId' | 'kind' | 'at'>): void
}

/** Run-time fault injection, offered by simulators only. */
export interface FaultControl {
  inject(f: { kind: FaultKind; tag?: string; rampS?: number; severity?: number }): ActiveFault[]
  clear(kind?: FaultKind): ActiveFault[]
  active(): ActiveFault[]
}

/** Run-time control of a replay (sources/replay): times are the data's own, epoch ms. */
export interface ReplayControl {
  state(): ReplayState
  play(): ReplayState
  pause(): ReplayState
  seek(t: number): ReplayState
  speed(x: number): ReplayState
  loop(on: boolean): ReplayState
}

/**
 * Setpoints a simulated asset takes (the compressor's speed and guide vanes): an optimizer's
 * suggestion can be tried on the simulator. Vigil never writes to a real plant.
 */
export interface SetpointControl {
  list(): SetpointInfo[]
  /** Holds `tag`'s setpoint at value; throws naming the tag and its range when out of it. */
  set(tag: string, value: number): SetpointInfo[]
  /** Hands one setpoint (or all) back to the asset's own schedule. */
  release(tag?: string): SetpointInfo[]
}

/** Everything that starts returns its stop; the engine stops sources in reverse order. */
export interface SourceHandle {
  stop(): Promise<void>
  faults?: FaultControl
  replay?: ReplayControl
  setpoints?: SetpointControl
}

/**
 * What the engine lends a source that plays stored history back (replay): reads only, so a
 * source still never imports the store.
 */
export interface SourceContext {
  history?(req: {
    assetId: string
    tags?: string[]
    from: number
    to: number
    maxPoints: number
  }): Promise<SeriesBlock>
  /** An asset's stored tags and time span; null when the store holds nothing of it. */
  storedAsset?(
    assetId: string,
  ): Promise<{ tags: { id: string }[]; from: number | null; to: number | null } | null>
  /** Where pushed readings arrive (HTTP ingest, src/main/ingest): a passive source attaches to it. */
  ingest?: IngestBus
  /** The user-data folder: OPC UA keeps its certificate and trust list under it (opcua/pki). */
  dataDir?: string
  /** A secret's value by name (src/main/secrets); throws naming the secret when it is missing. */
  secret?(name: string): string
}

export interface SourceKind<C extends z.ZodType = z.ZodType> {
  kind: string
  /** zod schema of this kind's settings (also in src/shared/plant.ts SourceConfig). */
  config: C
  start(
    cfg: z.infer<C>,
    asset: AssetConfig,
    out: SourceOutput,
    ctx?: SourceContext,
  ): SourceHandle | Promise<SourceHandle>
}
