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
 * kind 'rul': remaining useful life from the latest `inputs.window` samples, run every
 * `everySeconds` of data time on each asset (not per sample: life changes slowly).
 * outputs.name gives the life [batch] (or [batch, 1]) in `unit`; outputs.spread its
 * uncertainty (ensemble standard deviation) in the same unit. threshold.value is the life,
 * in `unit`, below which the asset is flagged.
 */
export const RulCardBlock = z.object({
  unit: z.enum(['cycles', 'hours']),
  /** Training targets were clipped here (piecewise-linear RUL): an output at the cap means "at least this". */
  cap: z.number().positive(),
  everySeconds: z.number().positive(),
})
export type RulCardBlock = z.infer<typeof RulCardBlock>

/**
 * kind 'defect': one prediction per production unit (a cast), made when the unit ends. The
 * unit's samples are those with one value of tag `by` (Cast_Number); they are resampled by
 * linear interpolation in time to `inputs.window` steps before scaling. outputs.name gives the
 * ensemble P(defect) [batch]; outputs.members each member's P(defect) (name -> output);
 * outputs.confidence a 0..1 confidence [batch]. threshold.value is the operating probability.
 */
export const SequenceCardBlock = z.object({
  by: z.string(),
  /** Units shorter than this (seconds of data) are not scored: a partial cast at start-up. */
  minSeconds: z.number().nonnegative().default(0),
})
export type SequenceCardBlock = z.infer<typeof SequenceCardBlock>

/**
 * kind 'policy': a setpoint advisor. Input [batch, inputs.tags] (window 1) of the latest
 * validated values, min-max scaled; outputs.name gives [batch, actions.length] in [-1, 1],
 * mapped linearly onto each action's [low, high]. The engine turns that into a suggestion
 * with the expected gain and the constraint margins; it never writes to the plant.
 */
export const PolicyCardBlock = z.object({
  actions: z
    .array(z.object({ tag: z.string(), low: z.number(), high: z.number(), unit: z.string().default('') }))
    .min(1),
  /** What the policy improves, e.g. "power at the duty asked". */
  objective: z.string(),
  /** Limits it was trained to respect, e.g. { Surge_Margin_pct: { above: 10 } }. */
  constraints: z.record(z.string(), z.object({ above: z.number().optional(), below: z.number().optional() })),
  everySeconds: z.number().positive(),
})
export type PolicyCardBlock = z.infer<typeof PolicyCardBlock>

/** Kinds whose scorer is a window detector: a score per window against a threshold (score > threshold = ANOMALY). */
export const DETECTOR_KINDS = ['autoencoder', 'pca', 'classifier'] as const

/**
 * models/<id>/model.json. A model is data: adding a model is adding a folder with this card
 * beside its model.onnx. The registry refuses a folder whose card fails this schema or whose
 * ONNX input names differ from it, and keeps the other models running.
 */
export const ModelCard = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    version: z.string(),
    /**
     * autoencoder: reconstruction [batch, window, tags]; score = mean absolute error.
     * pca: fitted in Vigil (see PcaCardBlock). classifier: P(anomaly) [batch] (or [batch, 2],
     * column 1) from a [batch, window, tags] window; features are computed inside the graph.
     * rul, defect, policy: see their blocks. Every kind but pca gets min-max scaled input.
     */
    kind: z.enum(['autoencoder', 'pca', 'classifier', 'rul', 'defect', 'policy']),
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
      /** The ONNX graph's main output: see kind. */
      name: z.string(),
      /** rul: the life's standard deviation [batch]. */
      spread: z.string().optional(),
      /** defect: 0..1 confidence of the ensemble [batch]. */
      confidence: z.string().optional(),
      /** defect: each member model's P(defect) [batch], member name -> output name. */
      members: z.record(z.string(), z.string()).optional(),
    }),
    /** The decision threshold in the main output's units; see kind. */
    threshold: z.object({ value: z.number().positive(), method: z.string() }),
    rul: RulCardBlock.optional(),
    sequence: SequenceCardBlock.optional(),
    policy: PolicyCardBlock.optional(),
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
    const block = { rul: 'rul', defect: 'sequence', policy: 'policy' } as const
    for (const [kind, key] of Object.entries(block))
      if (c.kind === kind && !c[key])
        ctx.addIssue({ code: 'custom', path: [key], message: `is required for kind "${kind}"` })
    if (c.kind === 'policy' && c.inputs.window !== 1)
      ctx.addIssue({ code: 'custom', path: ['inputs', 'window'], message: 'must be 1 for kind "policy"' })
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
