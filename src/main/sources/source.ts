import type { z } from 'zod'
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

/** Everything that starts returns its stop; the engine stops sources in reverse order. */
export interface SourceHandle {
  stop(): Promise<void>
  faults?: FaultControl
}

export interface SourceKind<C extends z.ZodType = z.ZodType> {
  kind: string
  /** zod schema of this kind's settings (also in src/shared/plant.ts SourceConfig). */
  config: C
  start(cfg: z.infer<C>, asset: AssetConfig, out: SourceOutput): SourceHandle | Promise<SourceHandle>
}
