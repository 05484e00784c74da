import type { AlarmKind, Priority } from '../../shared/alarms.ts'
import { VigilError } from '../../shared/errors.ts'
import type { ModelCard } from '../../shared/model-card.ts'
import type { AssetConfig, PlantConfig, TagConfig } from '../../shared/plant.ts'
import { predictorDefs } from './prediction-alarm-defs.ts'

/** One configured alarm: what it watches and how it filters. */
export interface AlarmDef {
  id: string
  assetId: string
  kind: AlarmKind
  priority: Priority
  /** The tag watched by limit and bad-data alarms, its column in the asset's batches, its label. */
  tag?: string
  tagIndex: number
  label: string
  unit: string
  limit: number | null
  /** 1: alarms above the limit; -1: below. */
  dir: 1 | -1
  deadband: number
  onDelayMs: number
  offDelayMs: number
  modelId?: string
}

/*
 * Defaults, chosen against the pump simulator's normal running (3 simulated days, 3 seeds):
 * the critical limit is the HH/LL alarm; a pre-alarm (H/L) sits 5% of the instrument span
 * inside it, where normal running never reaches (bearing 76.5 C vs at most 73 C); a deadband
 * of 1% of span and a 5 s on-delay keep noise at a limit from chattering.
 */
const PRE_ALARM_SPAN = 0.05
const DEADBAND_SPAN = 0.01
const LIMIT_ON_S = 5
const LIMIT_OFF_S = 10
const BAD_DATA_S = 10
/** Five anomalous windows in a row at 1 Hz, the detection rule the engine test measures. */
const MODEL_ON_S = 5
const MODEL_OFF_S = 30

const LIMIT_DEFAULTS: Record<'HH' | 'H' | 'L' | 'LL', { dir: 1 | -1; priority: Priority; words: string }> = {
  HH: { dir: 1, priority: 'critical', words: 'high-high' },
  H: { dir: 1, priority: 'medium', words: 'high' },
  L: { dir: -1, priority: 'medium', words: 'low' },
  LL: { dir: -1, priority: 'critical', words: 'low-low' },
}

export const limitWords = (kind: 'HH' | 'H' | 'L' | 'LL') => LIMIT_DEFAULTS[kind].words

function limitsOf(
  tag: TagConfig,
): Partial<Record<'HH' | 'H' | 'L' | 'LL', { value: number; priority?: Priority }>> {
  const a = tag.alarms ?? {}
  const span = tag.max - tag.min
  const crit = tag.critical
  const out: Partial<Record<'HH' | 'H' | 'L' | 'LL', { value: number; priority?: Priority }>> = {}
  if (crit?.above !== undefined) {
    out.HH = { value: crit.above }
    out.H = { value: crit.above - PRE_ALARM_SPAN * span }
  }
  if (crit?.below !== undefined) {
    out.LL = { value: crit.below }
    out.L = { value: crit.below + PRE_ALARM_SPAN * span }
  }
  for (const k of ['HH', 'H', 'L', 'LL'] as const) if (a[k]) out[k] = a[k]
  return out
}

/**
 * Every alarm the plant configures, in a stable order: per asset, its tags' alarms, then model
 * and source. `predictors`: the cards of loaded models of kind rul, defect or policy by id; a
 * model of the asset's list found there gets its prediction alarms instead of a window alarm.
 */
export function alarmDefs(plant: PlantConfig, predictors: Record<string, ModelCard> = {}): AlarmDef[] {
  const defs: AlarmDef[] = []
  for (const asset of plant.assets) defs.push(...assetDefs(asset, predictors))
  defs.push(...systemDefs())
  return defs
}

export const modelAlarmId = (assetId: string, modelId: string) => `${assetId}/model/${modelId}`

/**
 * The alarms one model of the asset's list gets: a predictor's (`card`: its card when the
 * loaded model is of kind rul, defect or policy) or else one window alarm. Also used when a
 * model joins the running engine (alarm-system.ts addModel).
 */
export function modelAlarmDefs(asset: AssetConfig, modelId: string, card?: ModelCard): AlarmDef[] {
  if (card) return predictorDefs(asset, card)
  const m = asset.alarms?.model
  return [
    {
      assetId: asset.id,
      limit: null,
      dir: 1,
      deadband: 0,
      tagIndex: -1,
      unit: '',
      id: modelAlarmId(asset.id, modelId),
      kind: 'model',
      priority: m?.priority ?? 'high',
      label: `model ${modelId}`,
      onDelayMs: 1000 * (m?.onDelayS ?? MODEL_ON_S),
      offDelayMs: 1000 * (m?.offDelayS ?? MODEL_OFF_S),
      modelId,
    },
  ]
}

/** The plant-wide system alarms' asset: not a plant asset, so never a source of samples. */
export const SYSTEM_ASSET = 'system'

/**
 * Load shedding (engine/load-shed.ts), one alarm per consequence so each has its priority:
 * coarse live updates only delay what the operator sees (low); strided model windows mean an
 * anomaly may be caught later or missed (high). Raw samples are never shed, so no alarm for them.
 */
export const LOAD_SHED_ALARMS = {
  live: `${SYSTEM_ASSET}/load-shed/live`,
  models: `${SYSTEM_ASSET}/load-shed/models`,
} as const

function systemDefs(): AlarmDef[] {
  const base = {
    assetId: SYSTEM_ASSET,
    kind: 'load-shed' as const,
    limit: null,
    dir: 1 as const,
    deadband: 0,
    tagIndex: -1,
    unit: '',
    // Shedding already steps with hysteresis (a stage is given back after calm checks).
    onDelayMs: 0,
    offDelayMs: 0,
  }
  return [
    { ...base, id: LOAD_SHED_ALARMS.live, priority: 'low', label: 'engine load: live updates coarse' },
    { ...base, id: LOAD_SHED_ALARMS.models, priority: 'high', label: 'engine load: model windows skipped' },
  ]
}

function assetDefs(asset: AssetConfig, predictors: Record<string, ModelCard>): AlarmDef[] {
  const defs: AlarmDef[] = []
  const base = { assetId: asset.id, limit: null, dir: 1 as const, deadband: 0, tagIndex: -1, unit: '' }
  asset.tags.forEach((tag, k) => {
    const a = tag.alarms ?? {}
    const label = tag.name ?? tag.id
    const span = tag.max - tag.min
    const onDelayMs = 1000 * (a.onDelayS ?? LIMIT_ON_S)
    const offDelayMs = 1000 * (a.offDelayS ?? LIMIT_OFF_S)
    if (!a.disabled)
      for (const [kind, lim] of Object.entries(limitsOf(tag)) as [
        'HH' | 'H' | 'L' | 'LL',
        { value: number; priority?: Priority },
      ][]) {
        const d = LIMIT_DEFAULTS[kind]
        defs.push({
          ...base,
          id: `${asset.id}/${tag.id}/${kind}`,
          kind,
          priority: lim.priority ?? d.priority,
          tag: tag.id,
          tagIndex: k,
          label,
          unit: tag.unit,
          limit: lim.value,
          dir: d.dir,
          deadband: a.deadband ?? DEADBAND_SPAN * span,
          onDelayMs,
          offDelayMs,
        })
      }
    if (a.badData !== false)
      defs.push({
        ...base,
        id: `${asset.id}/${tag.id}/bad-data`,
        kind: 'bad-data',
        priority: 'low',
        tag: tag.id,
        tagIndex: k,
        label,
        unit: tag.unit,
        onDelayMs: 1000 * BAD_DATA_S,
        offDelayMs: 1000 * BAD_DATA_S,
      })
  })
  for (const modelId of asset.models) defs.push(...modelAlarmDefs(asset, modelId, predictors[modelId]))
  defs.push({
    ...base,
    id: `${asset.id}/source`,
    kind: 'source',
    priority: 'high',
    label: 'data source',
    onDelayMs: 0,
    offDelayMs: 0,
  })
  // A system alarm: while its pipeline thread is down the asset is neither validated nor scored.
  defs.push({
    ...base,
    id: `${asset.id}/pipeline`,
    kind: 'pipeline',
    priority: 'high',
    label: 'processing (pipeline thread)',
    onDelayMs: 0,
    offDelayMs: 0,
  })
  const s = asset.alarms?.suppressWhen
  if (s && !asset.tags.some((t) => t.id === s.tag))
    throw new VigilError(
      'config.invalid',
      `assets "${asset.id}": alarms.suppressWhen.tag "${s.tag}" is not one of its tags`,
    )
  return defs
}
