import { z } from 'zod'

/*
 * What a setpoint advisor (a model of kind "policy") tells an operator. Suggestions only:
 * Vigil never writes to the plant; a person decides, and makes the move on the plant's own
 * control system.
 */

/** One setpoint of a suggestion. */
export const SetpointMove = z.object({
  tag: z.string(),
  unit: z.string(),
  /** The measured value now. */
  current: z.number(),
  /** This suggestion's step: inside the setpoint's limits, at most one step size from current. */
  suggested: z.number(),
  /** Where the policy would run in all; a far target is reached over several suggestions. */
  target: z.number(),
})
export type SetpointMove = z.infer<typeof SetpointMove>

/** A limit at the suggested point, expected from the physics (measured now plus the modelled change). */
export const ConstraintMargin = z.object({
  tag: z.string(),
  unit: z.string(),
  value: z.number(),
  side: z.enum(['above', 'below']),
  limit: z.number(),
  /** How far inside the limit, in the tag's unit; negative is outside. */
  margin: z.number(),
})
export type ConstraintMargin = z.infer<typeof ConstraintMargin>

export const Suggestion = z.object({
  moves: z.array(SetpointMove).min(1),
  /** What is held while the setpoints move: the process's demand, e.g. the air mass flow. */
  duty: z.object({ tag: z.string(), unit: z.string(), value: z.number(), changePct: z.number() }),
  gain: z.object({
    /** Power saved by this step at the same duty. */
    powerKw: z.number(),
    efficiencyPts: z.number(),
    /** Power saved once at the target. */
    targetPowerKw: z.number(),
  }),
  margins: z.array(ConstraintMargin),
})
export type Suggestion = z.infer<typeof Suggestion>

/** One advisor's answer for one asset: a suggestion, or null and why none is made. */
export const SetpointAdvice = z.object({
  assetId: z.string(),
  modelId: z.string(),
  /** Data time (epoch ms) of the values it was made from. */
  at: z.number(),
  suggestion: Suggestion.nullable(),
  /** Plain language for the operator: what to move and what it gains, or why nothing. */
  why: z.string(),
})
export type SetpointAdvice = z.infer<typeof SetpointAdvice>
