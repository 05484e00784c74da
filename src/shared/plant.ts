import { z } from 'zod'
import { AssetAlarms, MaintenanceConfig, TagAlarms } from './alarms.ts'
import { HttpSource } from './ingest-config.ts'
import { MqttPublish, MqttSource } from './mqtt-config.ts'
import { ReplaySource } from './replay-config.ts'
import { OpcuaSource } from './opcua-config.ts'

/** A tag's id is also its column name in files and its key in models' cards. */
const Id = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must start with a letter and hold only letters, digits and _')

export const TagConfig = z
  .object({
    id: Id,
    name: z.string().optional(),
    unit: z.string(),
    /** The instrument's valid range: a value outside it is marked OUT_OF_RANGE (and kept). */
    min: z.number(),
    max: z.number(),
    /** A step larger than this per second is marked RATE. */
    maxRatePerS: z.number().positive().optional(),
    /** A value unchanged for this long is marked STUCK; flat-by-design tags leave it out. */
    stuckAfterS: z.number().positive().optional(),
    /** Critical limits: past one, an anomalous sensor is CRITICAL (bearing temperature > 85 C). */
    critical: z.object({ above: z.number().optional(), below: z.number().optional() }).strict().optional(),
    /** Limit and bad-data alarms (alarms.ts); default limits derive from `critical`. */
    alarms: TagAlarms.optional(),
  })
  .strict()
  .refine((t) => t.min < t.max, { message: 'min must be below max', path: ['max'] })
export type TagConfig = z.infer<typeof TagConfig>

export const SimulatorSource = z
  .object({
    kind: z.literal('simulator'),
    /** Which physics: pump P-101, gas-turbine compressor C-201 or continuous caster CC-1 (simulator/README.md). */
    model: z.enum(['pump', 'compressor', 'caster']),
    seed: z.number().int().default(1),
    /** Samples per simulated second. */
    rateHz: z.number().min(0.1).max(100).default(1),
    /** Simulated seconds per wall-clock second: 60 replays an hour in a minute. */
    speed: z.number().min(0.1).max(3600).default(1),
  })
  .strict()

/** One entry per source kind; sources/index.ts registers the implementation of each. */
export const SourceConfig = z.discriminatedUnion('kind', [
  SimulatorSource,
  MqttSource,
  ReplaySource,
  HttpSource,
  OpcuaSource,
])
export type SourceConfig = z.infer<typeof SourceConfig>

export const AssetClass = z.enum(['pump', 'compressor', 'caster', 'other'])

export const AssetConfig = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'must hold only letters, digits, _ . -'),
    name: z.string(),
    class: AssetClass,
    tags: z.array(TagConfig).min(1),
    source: SourceConfig,
    /** Model ids (folders under models/) that score this asset. */
    models: z.array(z.string()).default([]),
    /** Design suppression and the model alarm's settings (alarms.ts). */
    alarms: AssetAlarms.optional(),
    /** The operator position (console) that answers this asset's alarms; floods are counted per position. Default "main". */
    position: z.string().trim().min(1).max(60).optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    const seen = new Set<string>()
    a.tags.forEach((t, i) => {
      if (seen.has(t.id))
        ctx.addIssue({ code: 'custom', message: `duplicate tag id "${t.id}"`, path: ['tags', i, 'id'] })
      seen.add(t.id)
    })
  })
export type AssetConfig = z.infer<typeof AssetConfig>

const Days = z
  .number()
  .positive()
  .max(100 * 366)

/** The history database: its file (a --db flag wins), a size cap, and how long each table is kept. */
export const HistoryConfig = z
  .object({
    /** Relative to the configuration file's folder. Default: the app's user-data folder. */
    path: z.string().min(1).optional(),
    /** Past this size the store stops writing (reported in system.health) until space returns. */
    maxBytes: z.number().int().min(1_048_576).optional(),
    retention: z
      .object({ rawDays: Days.optional(), rollupDays: Days.optional(), predictionDays: Days.optional() })
      .strict()
      .refine((r) => r.rollupDays === undefined || r.rawDays === undefined || r.rollupDays >= r.rawDays, {
        message: 'rollupDays must be at least rawDays: rollups are what remains of old raw data',
        path: ['rollupDays'],
      })
      .optional(),
  })
  .strict()
export type HistoryConfig = z.infer<typeof HistoryConfig>

export const PlantConfig = z
  .object({
    name: z.string(),
    assets: z.array(AssetConfig).min(1),
    /** Publish validated samples, model outputs and events to an MQTT broker (Sparkplug B or JSON). */
    publish: MqttPublish.optional(),
    /** The maintenance cost model (alarms.ts); default: INR, 45,000 per event, x1.5 when CRITICAL. */
    maintenance: MaintenanceConfig.optional(),
    /** Where and how long the history is kept (store/retention.ts). */
    history: HistoryConfig.optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    const seen = new Set<string>()
    p.assets.forEach((a, i) => {
      if (seen.has(a.id))
        ctx.addIssue({ code: 'custom', message: `duplicate asset id "${a.id}"`, path: ['assets', i, 'id'] })
      seen.add(a.id)
    })
  })
export type PlantConfig = z.infer<typeof PlantConfig>
