import { VigilError } from '../../shared/errors.ts'
import type { ModelCard, PolicyCardBlock } from '../../shared/model-card.ts'
import type { ConstraintMargin, SetpointAdvice, SetpointMove } from '../../shared/suggestion.ts'
import { MinMaxInput } from './minmax-input.ts'
import {
  compressorSteadyState,
  IGV_LIMITS,
  SPEED_LIMITS,
  type CompressorPoint,
} from '../sources/simulator/compressor-physics.ts'

/*
 * Turns a compressor policy's action (models/compressor-ppo) into a suggestion an operator can
 * weigh: the setpoint moves, the power they save at the same air flow, and the limits at the
 * new point. The physics is the simulator's steady state (compressorSteadyState) with the
 * fouling the measured efficiency implies. Vigil never writes to the plant.
 */

const SPEED = 'Shaft_Speed_rpm'
const IGV = 'IGV_Position_pct'
const DUTY = 'Mass_Flow_kg_s'
/** Tags the physics needs beside the policy's own inputs. */
const NEEDED = [
  'Ambient_Temperature_C',
  'Ambient_Pressure_bar',
  DUTY,
  SPEED,
  IGV,
  'Isentropic_Efficiency_pct',
]
/**
 * The largest move of one suggestion. The simulator ramps at 40 rpm/s and 0.5 %/s, a real
 * machine's controls similarly, but an operator moves a running compressor in steps and
 * watches it settle; a far target is reached over a few suggestions.
 */
export const MAX_STEP = { [SPEED]: 300, [IGV]: 10 } as const
/** Relative flow error within which the duty counts as held (the projection reaches ~1e-9). */
const DUTY_TOLERANCE = 1e-6

export interface AdviceInput {
  assetId: string
  /** Data time (epoch ms) of the values. */
  at: number
  card: ModelCard
  /** The asset's latest validated value per tag. */
  values: Readonly<Record<string, number>>
  /** The policy's output row for this asset, in [-1, 1] per card action. */
  action: ArrayLike<number>
}

/** The policy block of a compressor setpoint card, or a 'model.invalid' error naming the card's field. */
export function compressorPolicy(card: ModelCard): PolicyCardBlock {
  const where = `model "${card.id}"`
  if (card.kind !== 'policy' || !card.policy)
    throw new VigilError(
      'model.invalid',
      `${where}: kind is "${card.kind}"; setpoint advice needs kind "policy"`,
    )
  const tags = card.policy.actions.map((a) => a.tag)
  if (tags.length !== 2 || tags[0] !== SPEED || tags[1] !== IGV)
    throw new VigilError(
      'model.invalid',
      `${where}: policy.actions are [${tags.join(', ')}]; the compressor advisor takes [${SPEED}, ${IGV}]`,
    )
  return card.policy
}

/**
 * The policy's input row: the card's tags from values, min-max scaled as the engine scales
 * every non-pca model ((x - min) / (max - min); a tag with max = min by 1). Throws
 * 'bad-request' naming the tag when a value is missing or not a number.
 */
export function policyObservation(card: ModelCard, values: Readonly<Record<string, number>>): Float32Array {
  const raw = Float64Array.from(card.inputs.tags, (tag) => {
    const v = values[tag]
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new VigilError('bad-request', `model "${card.id}": input ${tag} has no valid value (${v})`)
    return v
  })
  return new MinMaxInput(card).scale(raw, 1, raw.length).x
}

interface Plant {
  ambientC: number
  ambientBar: number
  fouling: number
}

const at = (p: Plant, speed: number, igv: number) =>
  compressorSteadyState(p.ambientC, p.ambientBar, speed, igv, p.fouling)

/**
 * The fouling at which the physics gives the measured efficiency at the measured setpoints:
 * efficiency falls with fouling, so bisect on [0, 1.5] (the simulator's range).
 */
export function inferFouling(
  ambientC: number,
  ambientBar: number,
  speed: number,
  igv: number,
  effPct: number,
) {
  let lo = 0
  let hi = 1.5
  for (let k = 0; k < 50; k++) {
    const mid = (lo + hi) / 2
    if (compressorSteadyState(ambientC, ambientBar, speed, igv, mid).efficiency * 100 > effPct) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}

/** Setpoints to the action space [-1, 1] of the card's actions, and back. */
const toUnit = (v: number, a: { low: number; high: number }) => (2 * (v - a.low)) / (a.high - a.low) - 1
const fromUnit = (u: number, a: { low: number; high: number }) => a.low + ((u + 1) / 2) * (a.high - a.low)
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x))

/**
 * The point nearest (speed, igv), measured in action units, at which the compressor delivers
 * `flow`: min-norm Newton steps onto the flow's level set, inside the limits (a limit the point
 * sits on takes no share of a step that would push it out). compressor_env.py hold_duty does
 * the same in training, so the policy chooses where on the duty's curve to run, never how
 * much air the process gets. null when the limits do not allow the flow near there.
 */
export function holdDuty(
  plant: Plant,
  policy: PolicyCardBlock,
  speed: number,
  igv: number,
  flow: number,
): { speed: number; igv: number } | null {
  const [as, ai] = [policy.actions[0]!, policy.actions[1]!]
  const lo = [Math.max(-1, toUnit(SPEED_LIMITS[0], as)), Math.max(-1, toUnit(IGV_LIMITS[0], ai))]
  const hi = [Math.min(1, toUnit(SPEED_LIMITS[1], as)), Math.min(1, toUnit(IGV_LIMITS[1], ai))]
  const u = [clamp(toUnit(speed, as), lo[0]!, hi[0]!), clamp(toUnit(igv, ai), lo[1]!, hi[1]!)]
  const m = (x: number, y: number) => at(plant, fromUnit(x, as), fromUnit(y, ai)).massFlowKgS
  const h = 1e-6
  for (let k = 0; k < 20; k++) {
    const r = m(u[0]!, u[1]!) - flow
    const g = [
      (m(u[0]! + h, u[1]!) - m(u[0]! - h, u[1]!)) / (2 * h),
      (m(u[0]!, u[1]! + h) - m(u[0]!, u[1]! - h)) / (2 * h),
    ]
    for (const j of [0, 1]) {
      const push = -r * g[j]!
      if ((u[j]! >= hi[j]! && push > 0) || (u[j]! <= lo[j]! && push < 0)) g[j] = 0
    }
    const g2 = Math.max(g[0]! ** 2 + g[1]! ** 2, 1e-12)
    for (const j of [0, 1]) u[j] = clamp(u[j]! - (r * g[j]!) / g2, lo[j]!, hi[j]!)
  }
  if (Math.abs(m(u[0]!, u[1]!) - flow) / flow > DUTY_TOLERANCE) return null
  return { speed: fromUnit(u[0]!, as), igv: fromUnit(u[1]!, ai) }
}

const f = (x: number, digits = 0) => x.toFixed(digits)

/**
 * A suggestion for the compressor from its policy's action, or null and why. None is made when
 * a needed value is missing, when the flow cannot be held, when the step saves less than the
 * card's threshold (kW), or when a limit of the card's policy.constraints would be outside at
 * the new point (a limit already outside now is the flow's or the machine's, which setpoints
 * at the same flow cannot mend: the answer says so).
 */
export function adviseSetpoints(input: AdviceInput): SetpointAdvice {
  const { card, values, action } = input
  const policy = compressorPolicy(card)
  const head = { assetId: input.assetId, modelId: card.id, at: input.at }
  const none = (why: string): SetpointAdvice => ({ ...head, suggestion: null, why })

  const bad = NEEDED.concat(Object.keys(policy.constraints)).find((t) => !Number.isFinite(values[t]))
  if (bad) return none(`No suggestion: ${bad} has no valid value now.`)
  if (action.length !== 2 || ![0, 1].every((j) => Number.isFinite(action[j])))
    throw new VigilError(
      'bad-request',
      `model "${card.id}": output "${card.outputs.name}" row is [${Array.from(action).join(', ')}]; expected 2 finite numbers`,
    )

  const v = (t: string) => values[t]!
  const speed0 = v(SPEED)
  const igv0 = v(IGV)
  const plant: Plant = {
    ambientC: v('Ambient_Temperature_C'),
    ambientBar: v('Ambient_Pressure_bar'),
    fouling: inferFouling(
      v('Ambient_Temperature_C'),
      v('Ambient_Pressure_bar'),
      speed0,
      igv0,
      v('Isentropic_Efficiency_pct'),
    ),
  }
  const p0 = at(plant, speed0, igv0)
  const flow = p0.massFlowKgS

  const [as, ai] = [policy.actions[0]!, policy.actions[1]!]
  const a = [clamp(action[0]!, -1, 1), clamp(action[1]!, -1, 1)]
  const target = holdDuty(plant, policy, fromUnit(a[0]!, as), fromUnit(a[1]!, ai), flow)
  if (!target)
    return none(
      `No suggestion: the policy's point cannot deliver ${f(v(DUTY), 1)} kg/s within the setpoint limits.`,
    )

  // One step towards the target along the straight line, then back onto the duty's curve; the
  // projection can lengthen the step a little, so shorten it until it fits the step size.
  let k = Math.min(
    1,
    MAX_STEP[SPEED] / Math.max(1e-9, Math.abs(target.speed - speed0)),
    MAX_STEP[IGV] / Math.max(1e-9, Math.abs(target.igv - igv0)),
  )
  let step: { speed: number; igv: number } | null = target
  for (let tries = 0; k < 1 && tries < 30; tries++, k *= 0.95) {
    step = holdDuty(plant, policy, speed0 + k * (target.speed - speed0), igv0 + k * (target.igv - igv0), flow)
    if (
      !step ||
      (Math.abs(step.speed - speed0) <= MAX_STEP[SPEED] && Math.abs(step.igv - igv0) <= MAX_STEP[IGV])
    )
      break
  }
  if (!step || Math.abs(step.speed - speed0) > MAX_STEP[SPEED] || Math.abs(step.igv - igv0) > MAX_STEP[IGV])
    return none(`No suggestion: no step towards the policy's point holds ${f(v(DUTY), 1)} kg/s.`)

  const p1 = at(plant, step.speed, step.igv)
  const powerKw = 1000 * (p0.powerMw - p1.powerMw)
  const targetPowerKw = 1000 * (p0.powerMw - at(plant, target.speed, target.igv).powerMw)
  const margins = marginsAt(policy, values, p0, p1)

  const outside = margins.find((m) => m.margin < 0)
  if (outside) {
    const nowOutside = marginsAt(policy, values, p0, p0).find((m) => m.tag === outside.tag)!.margin < 0
    return none(
      nowOutside
        ? `No suggestion: ${label(outside.tag)} is ${f(values[outside.tag]!, 1)} ${outside.unit} now, ${outside.side} ${outside.limit} ${outside.unit} is the limit; ` +
            `at the same flow speed and guide vanes cannot bring it back${outside.tag === 'Surge_Margin_pct' ? ' (less flow or a wash can)' : ''}.`
        : `No suggestion: the best point for this flow would put ${label(outside.tag)} at ${f(outside.value, 1)} ${outside.unit}, past its limit (${outside.side} ${outside.limit} ${outside.unit}).`,
    )
  }
  if (!(powerKw >= card.threshold.value))
    return none(
      `No suggestion: C-201 already runs within ${f(Math.max(0, targetPowerKw))} kW of its best speed and guide vanes for ${f(v(DUTY), 1)} kg/s ` +
        `(a suggestion needs ${card.threshold.value} kW).`,
    )

  const moves: SetpointMove[] = [
    { tag: SPEED, unit: as.unit, current: speed0, suggested: step.speed, target: target.speed },
    { tag: IGV, unit: ai.unit, current: igv0, suggested: step.igv, target: target.igv },
  ]
  const effPts = 100 * (p1.efficiency - p0.efficiency)
  const verb = (m: SetpointMove, up: string, down: string) =>
    `${m.suggested > m.current ? up : down} from ${f(m.current)} to ${f(m.suggested)} ${m.unit}`
  const partial =
    k < 1
      ? ` This is a first step towards ${f(target.speed)} rpm and ${f(target.igv)} %, which saves ${f(targetPowerKw)} kW in all.`
      : ''
  const why =
    `${verb(moves[0]!, 'Raise the speed', 'Lower the speed')} and ${verb(moves[1]!, 'open the guide vanes', 'close the guide vanes')}: ` +
    `the same ${f(v(DUTY), 1)} kg/s of air for ${f(powerKw)} kW less (efficiency ${effPts >= 0 ? '+' : ''}${f(effPts, 2)} points).${partial} ` +
    `At the new point: ${margins.map((m) => `${label(m.tag)} ${f(m.value, 1)} ${m.unit} (${m.side} ${m.limit})`).join(', ')}. ` +
    `A suggestion only: Vigil does not change setpoints.`
  return {
    ...head,
    suggestion: {
      moves,
      duty: { tag: DUTY, unit: 'kg/s', value: v(DUTY), changePct: (100 * (p1.massFlowKgS - flow)) / flow },
      gain: { powerKw, efficiencyPts: effPts, targetPowerKw },
      margins,
    },
    why,
  }
}

/**
 * Each constrained tag at the point p1, as measured now plus the modelled change from p0:
 * what the physics leaves out (a surge fault's back pressure, a worn bearing, sensor offsets)
 * is in the measurement and stays in the expectation.
 */
function marginsAt(
  policy: PolicyCardBlock,
  values: Readonly<Record<string, number>>,
  p0: CompressorPoint,
  p1: CompressorPoint,
): ConstraintMargin[] {
  const change: Record<string, { d: number; unit: string }> = {
    Surge_Margin_pct: { d: 100 * (p1.surgeMargin - p0.surgeMargin), unit: '%' },
    Discharge_Temperature_C: { d: p1.dischargeK - p0.dischargeK, unit: '°C' },
    Bearing_Temperature_C: { d: p1.bearingRiseC - p0.bearingRiseC, unit: '°C' },
  }
  const out: ConstraintMargin[] = []
  for (const [tag, lim] of Object.entries(policy.constraints)) {
    const c = change[tag]
    if (!c)
      throw new VigilError(
        'model.invalid',
        `policy.constraints.${tag}: the compressor physics does not model ${tag}; it models ${Object.keys(change).join(', ')}`,
      )
    const value = values[tag]! + c.d
    if (lim.above !== undefined)
      out.push({ tag, unit: c.unit, value, side: 'above', limit: lim.above, margin: value - lim.above })
    if (lim.below !== undefined)
      out.push({ tag, unit: c.unit, value, side: 'below', limit: lim.below, margin: lim.below - value })
  }
  return out
}

const LABELS: Record<string, string> = {
  Surge_Margin_pct: 'surge margin',
  Discharge_Temperature_C: 'discharge temperature',
  Bearing_Temperature_C: 'bearing temperature',
}
const label = (tag: string) => LABELS[tag] ?? tag
