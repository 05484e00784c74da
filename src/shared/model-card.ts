import { z } from 'zod'

/**
 * models/<id>/model.json. A model is data: adding a model is adding a folder with this card
 * beside its model.onnx. The registry refuses a folder whose card fails this schema or whose
 * ONNX input names differ from it, and keeps the other models running.
 */
export const ModelCard = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    version: z.string(),
    kind: z.enum(['autoencoder']),
    assetClass: z.enum(['pump', 'compressor', 'caster', 'other']),
    description: z.string(),
    file: z.string().default('model.onnx'),
    /** sha256 of the .onnx file; checked on load so a card never describes another file. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    inputs: z.object({
      /** The ONNX graph's input name; shape [batch, window, tags]. */
      name: z.string(),
      tags: z.array(z.string()).min(1),
      window: z.number().int().positive(),
      scaler: z.object({
        kind: z.literal('minmax'),
        min: z.array(z.number()),
        max: z.array(z.number()),
      }),
    }),
    outputs: z.object({
      /** The ONNX graph's output name: the reconstructed (scaled) window. */
      name: z.string(),
    }),
    /** Mean absolute reconstruction error above which a window is ANOMALY. */
    threshold: z.object({ value: z.number().positive(), method: z.string() }),
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
  })
export type ModelCard = z.infer<typeof ModelCard>
