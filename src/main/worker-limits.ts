import type { ResourceLimits } from 'node:worker_threads'

/**
 * The young generation (new objects, collected by scavenges) of each long-lived worker
 * thread, MB. V8 sizes it for throughput, up to ~48 MB per isolate; the pipeline and writer
 * threads allocate little per batch that outlives it (columns are typed arrays, outside the
 * heap), so a small one costs a few more, shorter scavenges and keeps ~35 MB per thread out
 * of resident memory. bench/load measures both (load.rss_peak against the V8 default).
 */
const YOUNG_GENERATION_MB = 6

/**
 * Limits for the engine's long-lived worker threads. VIGIL_WORKER_YOUNG_MB overrides the
 * young generation (MB; 0 leaves V8's default), for a machine with memory to spare and for
 * the load benchmark's baseline.
 */
export function workerResourceLimits(env: NodeJS.ProcessEnv = process.env): ResourceLimits {
  const raw = env.VIGIL_WORKER_YOUNG_MB
  if (raw === undefined || raw === '') return { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB }
  const mb = Number(raw)
  if (!Number.isFinite(mb) || mb < 0)
    throw new Error(`VIGIL_WORKER_YOUNG_MB: "${raw}" is not a size in MB (a number >= 0; 0 = V8's default)`)
  return mb === 0 ? {} : { maxYoungGenerationSizeMb: mb }
}
