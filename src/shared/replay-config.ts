import { z } from 'zod'

/**
 * A replay source (the compressor design's db-streamer): plays a CSV file, or an asset's
 * stored history (an imported dataset), into its asset as if it were live. Times are
 * re-stamped to the wall clock; validation, models, alarms and the UI cannot tell it from a
 * live source.
 */
export const ReplaySource = z
  .object({
    kind: z.literal('replay'),
    /** A CSV file; its columns feed the asset's tags by header (or by `mapping`). Relative to the working folder. */
    file: z.string().min(1).optional(),
    /** A mapping file (as written by `vigil import` or the import wizard) for `file`. */
    mapping: z.string().min(1).optional(),
    /** Stored history of an asset, e.g. one imported earlier; the span defaults to all of it. */
    history: z
      .object({ assetId: z.string().min(1), from: z.number().optional(), to: z.number().optional() })
      .strict()
      .optional(),
    /** Data seconds per wall second. */
    speed: z.number().min(0.1).max(1000).default(1),
    /** Start over at the end; otherwise stop there. */
    loop: z.boolean().default(true),
    /** Start paused (play with replay.control). */
    paused: z.boolean().default(false),
    /** How often batches go out, wall ms. */
    tickMs: z.number().int().min(10).max(5000).default(100),
  })
  .strict()
  .refine((r) => (r.file === undefined) !== (r.history === undefined), {
    message: 'a replay plays either a file or a stored history: give one of them',
    path: ['file'],
  })
export type ReplaySource = z.infer<typeof ReplaySource>
