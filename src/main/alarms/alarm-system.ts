import type { AlarmStats, MaintenanceEvent } from '../../shared/alarms.ts'
import type { LoadStatus } from '../../shared/contract.ts'
import type { Result } from '../../shared/errors.ts'
import type { ModelCard } from '../../shared/model-card.ts'
import type { PlantConfig } from '../../shared/plant.ts'
import type {
  LiveMessage,
  PredictionBatch,
  SampleBatch,
  ScoreBatch,
  SourceStatus,
} from '../../shared/samples.ts'
import { kpiHandlers, type KpiHandlers } from '../kpi/kpi-handlers.ts'
import { SensorHealthCounts } from '../kpi/sensor-health.ts'
import type { RecordOp } from '../store/record-types.ts'
import type { Store } from '../store/store.ts'
import { guardDispatch, type AccessDeps, type InnerDispatch } from './access.ts'
import { Accounts } from './accounts.ts'
import { alarmDefs, modelAlarmDefs, modelAlarmId } from './alarm-defs.ts'
import { alarmHandlers, type AlarmHandlers } from './alarm-handlers.ts'
import { AlarmSet } from './alarm-set.ts'
import { alarmStats, type Feedback } from './alarm-stats.ts'
import { authHandlers, type AuthHandlers } from './auth-handlers.ts'
import { AlarmDetectors } from './detectors.ts'
import { LoadShedAlarms } from './load-shed-alarms.ts'
import { MaintenanceTracker } from './maintenance.ts'
import { PredictionAlarms } from './prediction-alarms.ts'
import { positionsOf } from './positions.ts'
import { Sessions } from './sessions.ts'
import { ModelThresholds } from './model-thresholds.ts'
import { optimizerHandlers, type OptimizerHandlers } from './optimizer-handlers.ts'
import { thresholdHandlers, type ThresholdHandlers } from './threshold-handlers.ts'

export interface AlarmSystemOptions {
  plant: PlantConfig
  store: Store
  publish(m: Extract<LiveMessage, { topic: 'alarms' }>): void
  /** Wall clock for operator actions and shelf expiry (tests pass their own). */
  now?: () => number
  /** How often shelved alarms are checked for expiry, ms; 0 leaves it to tick(). Default 1000. */
  tickMs?: number
  /** Each loaded model's card threshold by model id, for adaptive thresholds. Default: none. */
  cardThresholds?: Record<string, number>
  /** RUL models by id with their output's unit, for the plant head's RUL per asset. Default: none. */
  rulModels?: Record<string, string>
  /** Cards of the loaded predictors (kinds rul, defect, policy): their alarms and maintenance findings. Default: none. */
  predictorCards?: ModelCard[]
}

export interface AlarmSystem {
  /** Validated samples (with quality), model outputs and source status from the pipeline. */
  samples(b: SampleBatch & { quality: Uint8Array[] }): void
  scores(s: ScoreBatch): void
  status(st: SourceStatus): void
  /** A change of the engine's load-shedding stage: raises or clears the system load-shed alarms. */
  loadShed(s: LoadStatus): void
  /** Returns shelved alarms whose time has come. */
  tick(): void
  stats(): AlarmStats
  handlers: AlarmHandlers & AuthHandlers & ThresholdHandlers & KpiHandlers & OptimizerHandlers
  /**
   * A predictor's outputs (rul, defect, policy): the latest RUL per asset for the role figures,
   * RUL, defect and constraint alarms, maintenance events from RUL and defect findings.
   */
  predictions(p: PredictionBatch): void
  /** Accepted thresholds: the engine passes every score batch through thresholds.apply first. */
  thresholds: ModelThresholds
  /**
   * A model that joined the running engine (fitted in the app, dropped into the user's
   * folder), after the plant's assets list it: its alarms, adaptive threshold and RUL figure
   * from now on, as if it had been loaded at start.
   */
  addModel(card: ModelCard): void
  /**
   * A model withdrawn from the running engine (its user folder deleted), after the assets that
   * got it by being served dropped it: its alarms go, an active one returning to normal with a
   * journal line saying why (nothing would ever clear it otherwise). Assets whose plant entry
   * still names it (`namedBy`) keep the window alarm a model missing at start gets.
   */
  removeModel(card: ModelCard, namedBy: string[]): void
  /** Wraps the engine's dispatch with the role check and the audit trail. */
  guard(inner: InnerDispatch): (method: string, raw: unknown, caller?: string) => Promise<Result<unknown>>
  /** A transport's connection closed: its caller no longer holds a session. */
  detach(caller: string): void
  set: AlarmSet
  maintenance: MaintenanceTracker
  close(): Promise<void>
}

/**
 * Alarms, maintenance events, accounts and the audit trail, resumed from the store: every
 * alarm's lifecycle, the open events and the users as the last run left them. Every change is
 * written to the store (through the writer) and published on the hub as one 'alarms' message.
 */
export function createAlarmSystem(o: AlarmSystemOptions): AlarmSystem {
  const { store } = o
  const now = o.now ?? Date.now
  const predictors = Object.fromEntries((o.predictorCards ?? []).map((c) => [c.id, c]))
  // Predictors loaded at start or later: every other loaded model is a window detector.
  const predictorIds = new Set(Object.keys(predictors))
  // Copies: addModel adds to them, and the handlers read them on each call.
  const cardThresholds = { ...o.cardThresholds }
  const rulModels = { ...o.rulModels }
  const set = new AlarmSet(alarmDefs(o.plant, predictors), store.records.loadAlarms(), positionsOf(o.plant))
  const detectors = new AlarmDetectors(o.plant, set)
  const shedAlarms = new LoadShedAlarms(set)
  const maintenance = new MaintenanceTracker(
    o.plant,
    store.records.openEventRows(),
    store.records.lastEventId(),
  )
  const predicted = new PredictionAlarms(o.plant, set, maintenance)
  const saved = store.records.feedbackCounts()
  const feedback: Feedback = {
    truePositive: saved['true-positive'] ?? 0,
    falsePositive: saved['false-positive'] ?? 0,
  }
  const accounts = new Accounts(store.records.userRows(), (row) => store.writeRecords([{ op: 'user', row }]))
  const sessions = new Sessions()
  const thresholds = new ModelThresholds(store.records.thresholdRows())
  const health = new SensorHealthCounts(o.plant)
  const kpi = kpiHandlers({
    plant: o.plant,
    store,
    set,
    maintenance,
    health,
    rulModels,
    now,
  })
  let closed = false

  const stats = () => alarmStats(set, feedback)
  /** Writes and publishes what changed; alarms change rarely, so most calls find nothing. */
  const commit = (events: MaintenanceEvent[] = []) => {
    const { alarms, journal } = set.drain()
    if (closed || (alarms.length === 0 && journal.length === 0 && events.length === 0)) return
    const ops: RecordOp[] = [
      ...alarms.map((a) => ({ op: 'alarm' as const, row: set.row(a) })),
      ...journal.map((row) => ({ op: 'journal' as const, row })),
      ...events.map((row) => ({ op: 'maintenance' as const, row })),
    ]
    store.writeRecords(ops)
    o.publish({
      topic: 'alarms',
      alarms: alarms.map((a) => set.view(a)),
      maintenance: events,
      stats: stats(),
    })
  }

  const access: AccessDeps = {
    accounts,
    sessions,
    now,
    audit: (row) => store.writeRecords([{ op: 'audit', row }]),
    commit: () => store.flush(),
  }
  const timer = o.tickMs === 0 ? null : setInterval(() => system.tick(), o.tickMs ?? 1000)
  timer?.unref()

  const system: AlarmSystem = {
    set,
    maintenance,
    thresholds,
    samples(b) {
      detectors.samples(b)
      health.samples(b)
      maintenance.samples(b)
      commit()
    },
    scores(s) {
      detectors.scores(s)
      health.scores(s)
      commit(maintenance.scores(s))
    },
    predictions(p) {
      kpi.predictions(p)
      commit(predicted.predictions(p))
    },
    status(st) {
      detectors.status(st)
      commit()
    },
    loadShed(s) {
      shedAlarms.stage(s, now())
      commit()
    },
    tick() {
      set.tick(now())
      commit()
    },
    addModel(card) {
      cardThresholds[card.id] = card.threshold.value
      if (card.rul) rulModels[card.id] = card.rul.unit
      const predictor = isPredictor(card) ? card : undefined
      if (predictor) predictorIds.add(card.id)
      else predictorIds.delete(card.id)
      const saved = store.records.loadAlarms()
      for (const asset of o.plant.assets) {
        if (!asset.models.includes(card.id)) continue
        // At start an unloaded model got a window alarm; a predictor has its own alarms instead.
        if (predictor) {
          detectors.unwatchModel(asset.id, card.id)
          set.remove(modelAlarmId(asset.id, card.id))
        }
        const defs = modelAlarmDefs(asset, card.id, predictor)
        // A model replaced by a re-fit: its alarms keep their state and judge by the new card's limits.
        for (const def of predictor ? defs : []) {
          const rec = set.byId.get(def.id)
          if (!rec || rec.def.kind !== def.kind) continue
          rec.def = def
          predicted.watch(asset, rec)
        }
        for (const rec of set.add(defs, saved)) {
          detectors.watchModel(rec)
          predicted.watch(asset, rec)
        }
      }
    },
    removeModel(card, namedBy) {
      const predictor = isPredictor(card) ? card : undefined
      const recs = o.plant.assets.flatMap((asset) =>
        modelAlarmDefs(asset, card.id, predictor).flatMap((def) => {
          const rec = set.byId.get(def.id)
          return rec ? [{ asset, rec }] : []
        }),
      )
      for (const { rec } of recs)
        if (rec.life.active)
          set.apply(rec, { kind: 'condition', active: false }, now(), null, `model "${card.id}" was removed`)
      // Journalled and sent before the records go: removing one forgets its unsent changes.
      commit()
      for (const { asset, rec } of recs) {
        // A window alarm of an asset that names the model stays, as for a model missing at start.
        if (rec.def.kind === 'model' && namedBy.includes(asset.id)) continue
        if (rec.def.kind === 'model') detectors.unwatchModel(asset.id, card.id)
        predicted.unwatch(asset.id, card.id)
        set.remove(rec.def.id)
      }
      if (predictor)
        for (const asset of o.plant.assets)
          if (namedBy.includes(asset.id)) set.add(modelAlarmDefs(asset, card.id, undefined), [])
      delete cardThresholds[card.id]
      delete rulModels[card.id]
      predictorIds.delete(card.id)
      commit()
    },
    stats,
    handlers: {
      ...alarmHandlers({ set, maintenance, store, now, commit, stats, feedback }),
      ...authHandlers(access),
      ...thresholdHandlers({
        plant: o.plant,
        store,
        thresholds,
        cardThresholds,
        isDetector: (modelId) => modelId in cardThresholds && !predictorIds.has(modelId),
        now,
      }),
      ...kpi.handlers,
      ...optimizerHandlers({ store, now }),
    },
    guard: (inner) => guardDispatch(inner, access),
    detach: (caller) => sessions.detach(caller),
    async close() {
      if (timer) clearInterval(timer)
      commit()
      closed = true
    },
  }
  return system
}

/** Kinds rul, defect and policy, as models/predictor.ts says (which would load onnxruntime here). */
const isPredictor = (c: ModelCard) => c.kind === 'rul' || c.kind === 'defect' || c.kind === 'policy'
