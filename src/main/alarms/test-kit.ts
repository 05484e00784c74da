import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { LiveMessage } from '../../shared/samples.ts'
import { PlantConfig } from '../../shared/plant.ts'
import { createDispatch, type Handlers } from '../engine/dispatch.ts'
import { loadPlantConfig } from '../engine/plant-config.ts'
import { demoPlantPath } from '../paths.ts'
import { openStore, type Store } from '../store/store.ts'
import { createAlarmSystem, type AlarmSystem, type AlarmSystemOptions } from './alarm-system.ts'

/** Values of P-101 in normal running, in the demo plant's tag order (inside every pre-alarm). */
export const NORMAL_VALUES: Record<string, number> = {
  Motor_RPM: 2800,
  Bearing_Temperature_C: 60,
  Oil_Pressure_bar: 2.8,
  Vibration_mm_s: 2.2,
  Flow_Rate_L_min: 1450,
  Suction_Pressure_bar: 1.9,
  Discharge_Pressure_bar: 12,
  Motor_Current_A: 70,
  Casing_Temperature_C: 45,
  Ambient_Temperature_C: 25,
}

/** The demo plant, with changes to P-101 (an alarms block, say) merged in. */
export function demoPlant(change: (p: PlantConfig) => void = () => {}): PlantConfig {
  const p = structuredClone(loadPlantConfig(demoPlantPath()))
  change(p)
  return PlantConfig.parse(p)
}

/** A real history file in a temp dir, and an alarm system on it whose clock the test moves. */
export class AlarmRig {
  readonly dir = mkdtempSync(join(tmpdir(), 'vigil-alarms-'))
  readonly messages: Extract<LiveMessage, { topic: 'alarms' }>[] = []
  clock = Date.UTC(2025, 6, 1, 8)
  plant: PlantConfig
  store!: Store
  system!: AlarmSystem
  dispatch!: (method: string, raw: unknown, caller?: string) => ReturnType<ReturnType<typeof createDispatch>>

  /** Passed to the alarm system as they are (card thresholds, RUL models, predictor cards). */
  options: Pick<AlarmSystemOptions, 'cardThresholds' | 'rulModels' | 'predictorCards'>

  constructor(plant = demoPlant(), options: AlarmRig['options'] = {}) {
    this.plant = plant
    this.options = options
  }

  async open(): Promise<this> {
    this.store = await openStore({ path: join(this.dir, 'vigil.db'), assets: this.plant.assets })
    this.system = createAlarmSystem({
      plant: this.plant,
      store: this.store,
      publish: (m) => this.messages.push(m),
      now: () => this.clock,
      tickMs: 0,
      ...this.options,
    })
    // Only the alarm system's channels are wired: enough for the guard and the handlers.
    this.dispatch = this.system.guard(createDispatch(this.system.handlers as unknown as Handlers))
    return this
  }

  /** Closes as a shutdown would (alarm system, then store) and opens again on the same file. */
  async restart(): Promise<void> {
    await this.close()
    await this.open()
  }

  async close(): Promise<void> {
    await this.system.close()
    await this.store.close()
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true })
  }

  /**
   * Feeds `seconds` of 1 Hz samples of P-101 from the rig's clock, each tag at its normal value
   * unless `value` says otherwise; the clock moves on past them.
   */
  feed(
    seconds: number,
    value: (tag: string, i: number) => number | undefined = () => undefined,
    quality?: (tag: string, i: number) => number,
  ): void {
    const asset = this.plant.assets[0]!
    const t = Float64Array.from({ length: seconds }, (_, i) => this.clock + i * 1000)
    const values = asset.tags.map((tag) =>
      Float64Array.from({ length: seconds }, (_, i) => value(tag.id, i) ?? NORMAL_VALUES[tag.id]!),
    )
    const q = asset.tags.map((tag) =>
      Uint8Array.from({ length: seconds }, (_, i) => quality?.(tag.id, i) ?? 0),
    )
    this.system.samples({ assetId: asset.id, t, values, quality: q })
    this.clock += seconds * 1000
  }

  state(id: string): string {
    const rec = this.system.set.byId.get(id)
    if (!rec) throw new Error(`no alarm ${id}`)
    return this.system.set.view(rec).state
  }

  async call<T>(method: string, req: unknown, caller?: string): Promise<T> {
    const r = await this.dispatch(method, req, caller)
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
    return r.value as T
  }
}
