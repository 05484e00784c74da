import { VigilError } from '../../../shared/errors.ts'
import type { ActiveFault, FaultKind } from '../../../shared/samples.ts'
import { PUMP_TAGS, TYPICAL } from './pump-physics.ts'
import type { Rng } from './rng.ts'

/*
 * The faults a running simulator carries. Process faults (bearing wear, cavitation, fouling...)
 * grow from 0 to their severity over rampS simulated seconds and act through the physics;
 * sensor faults act on one tag's reading after the physics, so the process itself stays healthy.
 */

/** Simulated seconds to full severity when the caller does not say: bearing wear takes hours in a plant, minutes in a demo. */
export const DEFAULT_RAMP_S: Record<FaultKind, number> = {
  bearing_wear: 600,
  cavitation: 20,
  seal_leak: 900,
  sensor_stuck: 0,
  sensor_spike: 0,
  sensor_dropout: 0,
  // Multiplies the fouling rate: a dusty inlet or a torn filter.
  fouling: 600,
  surge: 120,
  mould_level_hunting: 30,
  superheat_high: 300,
  // An event: one sticker per injection.
  sticker: 0,
}

/** What a model offers to the fault set: its tags and the process faults its physics reads. */
export interface FaultModel {
  /** Named in errors: "the compressor's sensors". */
  name: string
  tags: readonly string[]
  /** A typical reading per tag, which sizes sensor spikes. */
  typical: readonly number[]
  /** Each process fault the physics takes, and the field of its intensities object it drives. */
  process: Partial<Record<FaultKind, string>>
}

export const PUMP_FAULTS: FaultModel = {
  name: 'pump',
  tags: PUMP_TAGS,
  typical: TYPICAL,
  process: { bearing_wear: 'bearing', cavitation: 'cavitation', seal_leak: 'seal' },
}

export interface FaultSpec {
  kind: FaultKind
  tag?: string
  rampS?: number
  severity?: number
}

const isSensorFault = (k: FaultKind) => k === 'sensor_stuck' || k === 'sensor_spike' || k === 'sensor_dropout'
/** One spike per ten simulated seconds on average, whatever the sample rate. */
const SPIKES_PER_S = 0.1

interface Entry {
  fault: ActiveFault
  tagIndex: number
  /** The reading a stuck sensor keeps repeating; NaN until its first sample. */
  held: number
}

export class FaultSet {
  private entries: Entry[] = []
  private readonly model: FaultModel
  private readonly fields: string[]

  constructor(model: FaultModel = PUMP_FAULTS) {
    this.model = model
    this.fields = Object.values(model.process)
  }

  /** Adds a fault at simulated time sinceMs, replacing one of the same kind (and tag). */
  inject(spec: FaultSpec, sinceMs: number): ActiveFault[] {
    const { name, tags, process } = this.model
    let tagIndex = -1
    if (isSensorFault(spec.kind)) {
      tagIndex = spec.tag === undefined ? -1 : tags.indexOf(spec.tag)
      if (tagIndex < 0)
        throw new VigilError(
          'bad-request',
          `${spec.kind} needs "tag" naming one of the ${name}'s sensors (${tags.join(', ')}); got ${JSON.stringify(spec.tag)}`,
        )
    } else if (!Object.hasOwn(process, spec.kind))
      throw new VigilError(
        'bad-request',
        `the ${name} simulator has no fault "${spec.kind}"; it takes ${Object.keys(process).join(', ')} and the sensor faults`,
      )
    const fault: ActiveFault = {
      kind: spec.kind,
      since: sinceMs,
      rampS: spec.rampS ?? DEFAULT_RAMP_S[spec.kind],
      severity: spec.severity ?? 1,
    }
    if (tagIndex >= 0) fault.tag = spec.tag
    this.entries = this.entries.filter((e) => !(e.fault.kind === fault.kind && e.fault.tag === fault.tag))
    this.entries.push({ fault, tagIndex, held: NaN })
    return this.active()
  }

  /** Removes every fault of a kind, or all faults. */
  clear(kind?: FaultKind): ActiveFault[] {
    this.entries = kind === undefined ? [] : this.entries.filter((e) => e.fault.kind !== kind)
    return this.active()
  }

  active(): ActiveFault[] {
    return this.entries.map((e) => ({ ...e.fault }))
  }

  /** Each process fault's progress at tMs, written into out (ProcessFaults for the pump). */
  intensities(tMs: number, out: object): void {
    const o = out as Record<string, number>
    for (const k of this.fields) o[k] = 0
    for (const { fault: f } of this.entries) {
      if (tMs < f.since || isSensorFault(f.kind)) continue
      const ramp = f.rampS > 0 ? Math.min(1, (tMs - f.since) / (f.rampS * 1000)) : 1
      o[this.model.process[f.kind]!] = f.severity * ramp
    }
  }

  /** Corrupts row i of the readings (the model's tag order) as the sensor faults active at tMs say. */
  applySensors(tMs: number, cols: Float64Array[], i: number, dtS: number, rng: Rng): void {
    for (const e of this.entries) {
      const f = e.fault
      if (e.tagIndex < 0 || tMs < f.since) continue
      const col = cols[e.tagIndex]!
      if (f.kind === 'sensor_stuck') {
        if (e.held !== e.held) e.held = col[i]!
        col[i] = e.held
      } else if (f.kind === 'sensor_dropout') {
        // Severity is the share of readings lost: 1 loses them all.
        if (rng.next() < f.severity) col[i] = NaN
      } else if (rng.next() < SPIKES_PER_S * dtS) {
        const size = this.model.typical[e.tagIndex]! * f.severity * (0.3 + 0.3 * rng.next())
        col[i] = col[i]! + (rng.next() < 0.5 ? -size : size)
      }
    }
  }
}
