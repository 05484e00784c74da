import { z } from 'zod'

/**
 * An asset fed over HTTP (`POST /api/ingest` under `vigil serve`, src/main/ingest): devices
 * push readings with an API key that names the asset they may write (`vigil ingest-key add`).
 * The source is passive, so it turns stale when no reading has come for staleAfterS.
 */
export const HttpSource = z
  .object({
    kind: z.literal('http'),
    /** No reading for this long turns the source stale (and raises its source alarm). */
    staleAfterS: z.number().min(1).max(86_400).default(60),
  })
  .strict()
export type HttpSource = z.infer<typeof HttpSource>
