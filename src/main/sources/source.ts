import type { z } from 'zod'
import type { SeriesBlock } from '../../shared/contract.ts'
import type { ReplayState } from '../../shared/import.ts'
import type { AssetConfig } from '../../shared/plant.ts'
import type { ActiveFault, FaultKind, SampleBatch, SourceStatus } from '../../shared/samples.ts'

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

/** Everything that starts returns its stop; the engine stops sources in reverse order. */
export interface SourceHandle {
  stop(): Promise<void>
  faults?: FaultControl
  replay?: ReplayControl
}

/**
 * What the engine lends a source that plays stored history back (replay): reads only, so a
 * source still never imports the store.
 */
export interface SourceContext {
  history?(req: { assetId: string; tags?: string[]; from: number; to: number; maxPoints: number }): Promise<SeriesBlock>
  /** An asset's stored tags and time span; null when the store holds nothing of it. */
  storedAsset?(assetId: string): Promise<{ tags: { id: string }[]; from: number | null; to: number | null } | null>
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
