import { BreakoutWatch, CastTally, type CastOutcome } from './caster-defects.ts'
import { Rng } from './rng.ts'

/*
 * Slab caster CC-1 as a pure state and step function. Casts (heats) follow one another, a few
 * minutes each, each with its own plan drawn from a generator of its own: superheat falling
 * as the ladle cools, a casting speed the operator sets lower for hot steel, a mould-level
 * disturbance (noise, sometimes bulging), rarely a sticker. Mould copper temperatures follow
 * the heat flux, which rises with casting speed and superheat; a sticker heats an upper
 * thermocouple and then, carried down at casting speed, the one below it. Cooling water
 * follows speed. caster-defects.ts judges each finished cast.
 */

export const CASTER_TAGS = [
  'Cast_Number',
  'Casting_Speed_m_min',
  'Mould_Level_mm',
  'Superheat_C',
  'Mould_TC_U1',
  'Mould_TC_U2',
  'Mould_TC_U3',
  'Mould_TC_L1',
  'Mould_TC_L2',
  'Mould_TC_L3',
  'Primary_Cooling_Flow_L_min',
  'Mould_Water_dT_C',
  'Secondary_Cooling_Flow_L_min',
] as const

const NOISE = [0, 0.005, 0.3, 0.4, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 10, 0.05, 8] as const
export const CASTER_TYPICAL = [1, 1.3, 5, 25, 160, 160, 160, 130, 130, 130, 5200, 7, 1950] as const

/** Thermocouple rows are this far apart: a sticker reaches the lower row after TC_PITCH_M / speed. */
const TC_PITCH_M = 0.2
const LADLE_CHANGE_S = 40
const TAU_LEVEL_S = 3
const TAU_TC_S = 4
const TAU_SECONDARY_S = 10
const TAU_SUPERHEAT_S = 60
const TAU_TUNDISH_S = 90
const FINISHED_KEPT = 200

export interface CasterFaults {
  /** Mould level hunting: a stopper or slide gate oscillating, up to 6 mm on top of the plan's. */
  levelHunting: number
  /** Hot heats: up to 15 C more superheat. */
  superheat: number
  /** Above 0, one sticker at once (per injection). */
  sticker: number
}

export interface CastPlan {
  cast: number
  startMs: number
  endMs: number
  superheatStart: number
  superheatEnd: number
  speedSp: number
  levelSigma: number
  bulgeMm: number
  bulgePeriodS: number
  /** Simulated ms of a planned sticker, NaN for none. */
  stickerMs: number
  stickerCol: number
}

export interface CasterState {
  rng: Rng
  /** Cast plans come from their own generator, so the casts are the same at any sample rate. */
  crng: Rng
  frng: Rng
  t0Ms: number
  dtS: number
  count: number
  plan: CastPlan
  speed: number
  level: number
  shDev: number
  /** Superheat the tundish holds, following each ladle's. */
  tundish: number
  primaryDev: number
  secondary: number
  tc: Float64Array
  offsets: Float64Array
  /** The sticker now moving down the mould: start (simulated ms), column, size. */
  stickerAt: number
  stickerCol: number
  stickerAmp: number
  stickerInCast: boolean
  /** Set by an injected sticker until the fault is cleared, so one injection makes one sticker. */
  stickerLatch: boolean
  tally: CastTally
  watch: BreakoutWatch
  /** Casts finished so far, the newest last (at most FINISHED_KEPT). */
  finished: CastOutcome[]
  k: {
    level: number
    levelK: number
    tc: number
    secondary: number
    shA: number
    shK: number
    tundish: number
  }
}

export const casterTimeMs = (s: CasterState) => s.t0Ms + s.count * s.dtS * 1000

export function drawCast(crng: Rng, cast: number, startMs: number): CastPlan {
  const durationS = 180 + 240 * crng.next()
  let sh = 22 + 5 * crng.gauss()
  if (crng.next() < 0.35) sh += 10 // a hot heat
  sh = Math.max(8, Math.min(50, sh))
  const speedSp = Math.max(0.9, Math.min(1.65, 1.5 - 0.012 * (sh - 22) + 0.05 * crng.gauss()))
  const levelSigma = 1.5 * Math.exp(0.4 * crng.gauss())
  const bulging = crng.next() < 0.45
  const bulgeMm = bulging ? 3 + 4 * crng.next() : 0
  const bulgePeriodS = 15 + 10 * crng.next()
  // Fast casting thins the shell at mould exit: stickers come more often.
  const sticker = crng.next() < 0.03 + 0.5 * Math.max(0, speedSp - 1.45)
  const stickerMs = startMs + (60 + (durationS - 100) * crng.next()) * 1000
  const stickerCol = Math.floor(3 * crng.next())
  return {
    cast,
    startMs,
    endMs: startMs + durationS * 1000,
    superheatStart: sh + 3,
    superheatEnd: sh - 3,
    speedSp,
    levelSigma,
    bulgeMm,
    bulgePeriodS,
    stickerMs: sticker ? stickerMs : NaN,
    stickerCol,
  }
}

export function createCaster(seed: number, startMs: number, rateHz: number, firstCast = 1): CasterState {
  const rng = new Rng(seed)
  const crng = new Rng(seed ^ 0x5bd1e995)
  const dtS = 1 / rateHz
  const plan = drawCast(crng, firstCast, startMs)
  const offsets = new Float64Array(6)
  for (let j = 0; j < 6; j++) offsets[j] = 4 * rng.gauss()
  const al = Math.exp(-dtS / TAU_LEVEL_S)
  const as = Math.exp(-dtS / TAU_SUPERHEAT_S)
  const s: CasterState = {
    rng,
    crng,
    frng: new Rng(~seed),
    t0Ms: startMs,
    dtS,
    count: 0,
    plan,
    speed: 0.75 * plan.speedSp,
    level: 0,
    shDev: 0,
    tundish: plan.superheatStart,
    primaryDev: 0,
    secondary: 1500 * 0.75 * plan.speedSp,
    tc: new Float64Array(6),
    offsets,
    stickerAt: NaN,
    stickerCol: 0,
    stickerAmp: 0,
    stickerInCast: false,
    stickerLatch: false,
    tally: new CastTally(),
    watch: new BreakoutWatch(rateHz),
    finished: [],
    k: {
      level: al,
      levelK: Math.sqrt(1 - al * al),
      tc: 1 - Math.exp(-dtS / TAU_TC_S),
      secondary: 1 - Math.exp(-dtS / TAU_SECONDARY_S),
      shA: as,
      shK: Math.sqrt(1 - as * as),
      tundish: 1 - Math.exp(-dtS / TAU_TUNDISH_S),
    },
  }
  for (let j = 0; j < 6; j++) s.tc[j] = tcTarget(j, s.speed, plan.superheatStart, 0, offsets)
  return s
}

/** Copper temperature a thermocouple settles at: heat flux goes with sqrt(speed) and superheat. */
function tcTarget(j: number, speed: number, superheat: number, level: number, offsets: Float64Array): number {
  const q = Math.sqrt(speed / 1.2) * (1 + 0.006 * (superheat - 25))
  // A falling level brings the hot meniscus closer to the upper row.
  return j < 3 ? 30 + 120 * q + offsets[j]! - 0.6 * level : 30 + 95 * q + offsets[j]!
}

/** A sticker's heat at one thermocouple, tau s after it passed: up in 5 s, gone in ~30. */
const bump = (tau: number) => (tau <= 0 ? 0 : (tau / 5) * Math.exp(1 - tau / 5))

/** Advances one sample and writes its readings into row i of cols (CASTER_TAGS order). */
export function stepCaster(s: CasterState, f: CasterFaults, cols: Float64Array[], i: number): void {
  const { rng, k } = s
  const tMs = casterTimeMs(s)
  while (tMs >= s.plan.endMs) nextCast(s)
  const p = s.plan
  const intoS = (tMs - p.startMs) / 1000
  const frac = (tMs - p.startMs) / (p.endMs - p.startMs)

  // A ladle change slows the strand for its first seconds.
  const speedTarget = intoS < LADLE_CHANGE_S ? 0.75 * p.speedSp : p.speedSp
  const dv = 0.01 * s.dtS
  s.speed += Math.max(-dv, Math.min(dv, speedTarget - s.speed))

  s.shDev = s.shDev * k.shA + 0.6 * k.shK * rng.gauss()
  // The tundish mixes a new ladle in over a minute or two: superheat has no steps.
  s.tundish += (p.superheatStart + (p.superheatEnd - p.superheatStart) * frac - s.tundish) * k.tundish
  const superheat = s.tundish + s.shDev + 15 * f.superheat

  const sigma = p.levelSigma * (1 + 1.5 * f.levelHunting)
  s.level = s.level * k.level + sigma * k.levelK * rng.gauss()
  let level = s.level + p.bulgeMm * Math.sin((2 * Math.PI * intoS) / p.bulgePeriodS)
  level += 6 * f.levelHunting * Math.sin((2 * Math.PI * tMs) / 25_000)

  if (p.stickerMs <= tMs && s.stickerAt !== s.stickerAt && !s.stickerInCast)
    startSticker(s, tMs, p.stickerCol, 1)
  if (f.sticker > 0 && !s.stickerLatch) {
    s.stickerLatch = true
    startSticker(s, tMs, 1, f.sticker)
  } else if (f.sticker === 0) s.stickerLatch = false

  const tau = (tMs - s.stickerAt) / 1000
  const delayS = TC_PITCH_M / (s.speed / 60)
  for (let j = 0; j < 6; j++) {
    let target = tcTarget(j, s.speed, superheat, level, s.offsets)
    if (j % 3 === s.stickerCol && tau === tau)
      target += (j < 3 ? 1 : 0.8) * s.stickerAmp * bump(j < 3 ? tau : tau - delayS)
    s.tc[j]! += (target - s.tc[j]!) * k.tc
  }
  if (tau > 90) s.stickerAt = NaN
  s.watch.push(tMs, s.tc)
  s.tally.add(level, superheat, s.speed)

  s.primaryDev = s.primaryDev * k.shA + 20 * k.shK * rng.gauss()
  const primary = 5200 + s.primaryDev
  const q = Math.sqrt(s.speed / 1.2) * (1 + 0.006 * (superheat - 25))
  s.secondary += (1500 * s.speed - s.secondary) * k.secondary

  cols[0]![i] = p.cast
  cols[1]![i] = s.speed + NOISE[1] * rng.gauss()
  cols[2]![i] = level + NOISE[2] * rng.gauss()
  cols[3]![i] = superheat + NOISE[3] * rng.gauss()
  for (let j = 0; j < 6; j++) cols[4 + j]![i] = s.tc[j]! + NOISE[4 + j]! * rng.gauss()
  cols[10]![i] = primary + NOISE[10] * rng.gauss()
  cols[11]![i] = (6.5 * q * 5200) / primary + NOISE[11] * rng.gauss()
  cols[12]![i] = s.secondary + NOISE[12] * rng.gauss()
  s.count++
}

function startSticker(s: CasterState, tMs: number, col: number, severity: number): void {
  s.stickerAt = tMs
  s.stickerCol = col
  s.stickerAmp = severity * (18 + 10 * s.frng.next())
  s.stickerInCast = true
}

/** Judges the cast that ended and draws the next, which starts where it ended. */
function nextCast(s: CasterState): void {
  const p = s.plan
  const o = s.tally.outcome(p.cast, p.startMs, p.endMs, s.stickerInCast, s.watch.tripped)
  s.finished.push(o)
  if (s.finished.length > FINISHED_KEPT) s.finished.shift()
  s.watch.tripped = false
  s.stickerInCast = false
  s.plan = drawCast(s.crng, p.cast + 1, p.endMs)
}
