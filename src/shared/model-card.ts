import { z } from 'zod'

/**
 * kind 'pca': a detector fitted in Vigil (src/main/models/fit) on a user's normal operation.
 * Its graph takes raw values [batch, tags] and standardises them itself; these are the
 * fitted figures, for people and for checking the graph.
 */
export const PcaCardBlock = z.object({
  mean: z.array(z.number()),
  std: z.array(z.number().positive()),
  components: z.number().int().positive(),
  /** Share of the standardised variance the kept components explain. */
  explainedVariance: z.number().min(0).max(1),
  /** Every eigenvalue of the training correlation matrix, descending. */
  eigenvalues: z.array(z.number().nonnegative()),
  /** Each limit is this percentile of its statistic over the training rows. */
  percentile: z.number(),
  t2Limit: z.number().positive(),
  qLimit: z.number().positive(),
  /** The graph's other outputs: T² [batch], Q [batch], per-tag share of the index [batch, tags]. */
  outputs: z.object({ t2: z.string(), q: z.string(), contrib: z.string() }),
})
export type PcaCardBlock = z.infer<typeof PcaCardBlock>

/**
 * models/<id>/model.json. A model is data: adding a model is adding a folder with this card
 * beside its model.onnx. The registry refuses a folder whose card fails this schema or whose
 * ONNX input names differ from it, and keeps the other models running.
 */
export const ModelCard = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    version: z.string(),
    kind: z.enum(['autoencoder', 'pca']),
    assetClass: z.enum(['pump', 'compressor', 'caster', 'other']),
    description: z.string(),
    file: z.string().default('model.onnx'),
    /** sha256 of the .onnx file; checked on load so a card never describes another file. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    inputs: z.object({
      /** The ONNX graph's input name; shape [batch, window, tags] ([batch, tags] for kind 'pca'). */
      name: z.string(),
      tags: z.array(z.string()).min(1),
      window: z.number().int().positive(),
      scaler: z.object({
        kind: z.literal('minmax'),
        min: z.array(z.number()),
        max: z.array(z.number()),
      }),
      /**
       * Per tag, the mean absolute reconstruction error (scaled units) over the normal training
       * windows. Optional: with it, error up to a sensor's baseline is counted in units of the
       * baseline before taking shares, so a sensor behaving normally holds about 1/tags and a
       * noisy one no longer looks guilty; without it, contributions are raw shares of the error.
       */
      errorBaseline: z.array(z.number().positive()).optional(),
    }),
    outputs: z.object({
      /** The ONNX graph's output name: the reconstructed (scaled) window. */
      name: z.string(),
    }),
    /** Mean absolute reconstruction error above which a window is ANOMALY. */
    threshold: z.object({ value: z.number().positive(), method: z.string() }),
    /** A column of scored files holding the true state (1 = anomalous): `vigil score` prints metrics for it. */
    label: z.string().optional(),
    /**
     * Present for kind 'pca' (window 1, outputs.name its combined score, threshold 1).
     * inputs.scaler then records the training range only: the graph scales by pca.mean/std.
     */
    pca: PcaCardBlock.optional(),
    training: z.record(z.string(), z.unknown()),
    metrics: z.record(z.string(), z.unknown()),
  })
  .superRefine((c, ctx) => {
    const n = c.inputs.tags.length
    for (const k of ['min', 'max'] as const)
      if (c.inputs.scaler[k].length !== n)
        ctx.addIssue({
          code: 'custom',
          path: ['inputs', 'scaler', k],
          message: `has ${c.inputs.scaler[k].length} values for ${n} tags`,
        })
    if (c.kind === 'pca') {
      if (!c.pca) ctx.addIssue({ code: 'custom', path: ['pca'], message: 'is required for kind "pca"' })
      if (c.inputs.window !== 1)
        ctx.addIssue({ code: 'custom', path: ['inputs', 'window'], message: 'must be 1 for kind "pca"' })
    }
    for (const k of ['mean', 'std'] as const)
      if (c.pca && c.pca[k].length !== n)
        ctx.addIssue({
          code: 'custom',
          path: ['pca', k],
          message: `has ${c.pca[k].length} values for ${n} tags`,
        })
    const base = c.inputs.errorBaseline
    if (base && base.length !== n)
      ctx.addIssue({
        code: 'custom',
        path: ['inputs', 'errorBaseline'],
        message: `has ${base.length} values for ${n} tags`,
      })
  })
export type ModelCard = z.infer<typeof ModelCard>
