import { dirname, resolve } from 'node:path'
import type { Health, LoadStatus } from '../../shared/contract.ts'
import { VigilError } from '../../shared/errors.ts'
import { AssetClass, type PlantConfig } from '../../shared/plant.ts'
import type { SampleBatch } from '../../shared/samples.ts'
import { Hub } from '../hub/hub.ts'
import { loadModels, userModelsDir } from '../models/registry.ts'
import { demoPlantPath, modelsDir as defaultModelsDir } from '../paths.ts'
import { createPipeline } from '../pipeline/pipeline.ts'
import { sourceKinds } from '../sources/index.ts'
import { SourceMeter } from '../sources/source-meter.ts'
import { simHandlers } from '../sources/simulator/sim-handlers.ts'
import { IngestBus } from '../ingest/ingest-bus.ts'
import type { SourceHandle, SourceKind } from '../sources/source.ts'
import { startMqttPublisher, type MqttPublisher } from '../mqtt/publisher.ts'
import type { MqttPublish } from '../../shared/mqtt-config.ts'
import { openStore } from '../store/store.ts'
import { createAlarmSystem } from '../alarms/alarm-system.ts'
import { isPredictorKind } from '../models/predictor.ts'
import { importHandlers } from '../import/import-handlers.ts'
import { createImportService } from '../import/import-service.ts'
import { createDispatch, neverThrows } from './dispatch.ts'
import type { Engine } from './engine-api.ts'
import { LatencyWindow } from './latency.ts'
import { AssetFlow, memoryNow } from './health-figures.ts'
import { historyHandlers } from './history-handlers.ts'
import { modelHandlers } from './model-handlers.ts'
import { hotModels } from './hot-models.ts'
import { watchUserModels } from '../models/user-models-watch.ts'
import { assistantHandlers } from '../assistant/assistant-handlers.ts'
import { isDetector } from '../models/fit/open-detector.ts'
import { createShedding, type LoadShedOptions } from './load-shed.ts'
import { loadPlantConfig } from './plant-config.ts'
import { userDataDir } from '../cli/user-data.ts'
import { opcuaHandlers } from '../opcua/handlers.ts'
import { openSecrets, type SecretStore } from '../secrets/index.ts'
import { secretHandlers } from '../secrets/secret-handlers.ts'

export interface EngineOptions {
  /** A validated plant, or a file to read one from; default: the embedded demo plant. */
  config?: PlantConfig
  configPath?: string
  /** The history file: the default location, or the user's choice when dbPathGiven. */
  dbPath: string
  /** dbPath came from the user (--db): it wins over the plant's history.path. */
  dbPathGiven?: boolean
  modelsDir?: string
  /**
   * Models a user fitted (`vigil fit`, the in-app fit). Default: the user-data folder's
   * models/ when modelsDir is the shipped one; none when a caller (a test) gives modelsDir.
   */
  userModelsDir?: string
  /** Overrides every simulator's speed (simulated seconds per wall second). */
  simSpeed?: number
  shards?: number
  /** Publish to an MQTT broker (Sparkplug B or JSON); overrides the plant's `publish` block. */
  publish?: MqttPublish
  /** Tests only: a pipeline worker entry that can be told to die (pipeline/faulty.worker.fixture.ts). */
  pipelineWorkerFile?: URL
  /**
   * Samples per message to a pipeline thread, at most (pipeline/coalesce.ts). 1 is the
   * unbatched baseline the load benchmark measures against: each source batch is split into
   * one-sample batches and every model window gets its own call.
   */
  maxBatch?: number
  /** Bounds of load shedding (engine/load-shed.ts). */
  load?: LoadShedOptions
  /** Told of each batch as its source hands it over (the load benchmark times latency from here). */
  onSourceBatch?: (b: SampleBatch) => void
  /** Where pushed readings arrive (POST /api/ingest); default: a bus of the engine's own. */
  ingest?: IngestBus
  /** The user-data folder: OPC UA certificates and trust list (opcua/), secrets. Default: the app's. */
  userDataDir?: string
  /**
   * Source passwords by name; default: the key-file store in userDataDir (the desktop app
   * passes its keychain one). A function is called on first use, so a secrets file that will
   * not open fails the sources that need it, named, not the engine's start.
   */
  secrets?: SecretStore | (() => SecretStore)
}

export interface RunningEngine extends Engine {
  plant: PlantConfig
  /** Present when publishing to MQTT; events such as alarms go out through publisher.event at QoS 1. */
  publisher?: MqttPublisher
  hub: Hub
  /** The http sources' sinks: `vigil serve` hands it to the ingest route (src/main/ingest). */
  ingest: IngestBus
  health(): Promise<Health>
  /** Resolves once every batch received so far is scored, published and committed. */
  settle(): Promise<void>
  /** What is shed now and the pipeline's queue (health().load without the store's figures). */
  load(): LoadStatus
}

/**
 * The composition root: plant config -> models -> store -> pipeline -> hub -> sources.
 * Electron-free, so the desktop app, `vigil serve` and the tests run the same engine. Stops
 * in reverse order; a failed start stops what had started.
 */
export async function createEngine(opts: EngineOptions): Promise<RunningEngine> {
  const plant = opts.config ?? loadPlantConfig(opts.configPath ?? demoPlantPath())
  const userDir = opts.userModelsDir ?? (opts.modelsDir ? undefined : userModelsDir())
  const registry = loadModels(opts.modelsDir ?? defaultModelsDir(), userDir)
  const modelErrors = [...registry.errors]
  const stops: (() => Promise<void>)[] = []
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => {})
  }
  try {
    const history = plant.history
    const dbPath =
      history?.path && !opts.dbPathGiven
        ? resolve(dirname(opts.configPath ?? '.'), history.path)
        : opts.dbPath
    const store = await openStore({
      path: dbPath,
      assets: plant.assets,
      maxBytes: history?.maxBytes,
      retention: history?.retention,
    })
    stops.push(() => store.close())
    // Imports stage into the store; closing cancels them (dropping their stages) before the store closes.
    const imports = createImportService({ store, plant, dataDir: dirname(dbPath) })
    stops.push(() => imports.close())
    const pipeline = createPipeline({
      assets: plant.assets,
      models: registry.models,
      shards: opts.shards,
      workerFile: opts.pipelineWorkerFile,
      maxBatch: opts.maxBatch,
      // Sources tick on their own clocks: 20 ms lets a thread's assets share model calls.
      lingerMs: 20,
      onWorkerCrash: (c) => {
        for (const id of c.assetIds) pipelineStatus(id, 'failed', c.message)
      },
    })
    stops.push(() => pipeline.close())
    const hub = new Hub(plant.assets)
    // An asset whose pipeline failed says 'running' again with its next processed batch.
    const pipelineDown = new Set<string>()
    const pipelineStatus = (assetId: string, state: 'failed' | 'running', message: string) => {
      if (state === 'failed') pipelineDown.add(assetId)
      else if (!pipelineDown.delete(assetId)) return
      const status = { assetId, kind: 'pipeline', state, message, at: Date.now() }
      hub.status(status)
      // A dead pipeline thread is a system alarm (alarm-defs.ts: <asset>/pipeline), not only a status.
      alarms.status(status)
    }
    // Stops before the store closes, so its last changes are written.
    const alarms = createAlarmSystem({
      plant,
      store,
      publish: (m) => hub.alarms(m),
      cardThresholds: Object.fromEntries(registry.models.map((m) => [m.card.id, m.card.threshold.value])),
      rulModels: Object.fromEntries(
        registry.models.flatMap((m) => (m.card.rul ? [[m.card.id, m.card.rul.unit]] : [])),
      ),
      predictorCards: registry.models.map((m) => m.card).filter((c) => isPredictorKind(c.kind)),
    })
    stops.push(() => alarms.close())
    const latency = new LatencyWindow()
    const flow = new AssetFlow(plant.assets.map((a) => a.id))
    const counters = { samplesIn: 0, windowsScored: 0, samplesStored: 0, dropped: 0 }
    const pending = new Set<Promise<void>>()
    const startedAt = Date.now()
    const reportedErrors = new Set<string>()
    const shedding = createShedding(
      pipeline,
      hub,
      (s) => {
        hub.status({
          assetId: 'system',
          kind: 'load',
          state: s.stage > 0 ? 'stale' : 'running',
          message: s.message || 'load within capacity: nothing shed',
          at: Date.now(),
        })
        // Shedding is also a system alarm (alarms/load-shed-alarms.ts), raised and cleared by stage.
        alarms.loadShed(s)
      },
      opts.load,
    )
    // A shedding alarm the last run left active clears now: this run starts with nothing shed.
    alarms.loadShed(shedding.status())
    stops.push(async () => shedding.stop())
    // Each asset's last batch in flight: a batch that skips the pipeline is stored after it, in order.
    const tails = new Map<string, Promise<void>>()
    const track = (assetId: string, done: Promise<void>) => {
      pending.add(done)
      tails.set(assetId, done)
      void done.finally(() => {
        pending.delete(done)
        if (tails.get(assetId) === done) tails.delete(assetId)
      })
    }

    const ingest = opts.ingest ?? new IngestBus()
    const meter = new SourceMeter()
    const onSource = (batch: SampleBatch) => {
      opts.onSourceBatch?.(batch)
      if (batch.t.length) meter.seen(batch.assetId, batch.t.length, batch.t[batch.t.length - 1]!)
      if (opts.maxBatch === 1 && batch.t.length > 1) for (const b of splitRows(batch)) onBatch(b)
      else onBatch(batch)
    }

    const onBatch = (batch: SampleBatch) => {
      const arrived = performance.now()
      const n = batch.t.length
      counters.samplesIn += n
      flow.add(batch.assetId, batch.t)
      if (!shedding.admit(n)) {
        // Past the queue's bound the batch is neither validated nor scored, but it is stored.
        shedding.bypassed(n)
        const prev = tails.get(batch.assetId) ?? Promise.resolve()
        const raw = prev
          .then(() => {
            store.writeSamples(batch)
            counters.samplesStored += n
          })
          .catch(() => void (counters.dropped += n))
        track(batch.assetId, raw)
        return
      }
      const processed = pipeline.process(batch)
      // Handled below; attached now so a failure while an earlier batch is pending is not "unhandled".
      processed.catch(() => {})
      // After a batch that skipped the pipeline, this one waits for it: an asset's batches reach the store in order.
      const prev = tails.get(batch.assetId)
      const done = (prev ? prev.then(() => processed) : processed)
        .then((res) => {
          pipelineStatus(batch.assetId, 'running', 'batches are processed again')
          hub.samples(res.batch, res.rolling)
          alarms.samples(res.batch)
          // The store's writer takes ownership of what it is sent, so it gets copies.
          store.writeSamples(copyBatch(res.batch))
          counters.samplesStored += n
          for (const scored of res.scores) {
            // An accepted threshold (alarms/model-thresholds.ts) judges the windows from here on.
            const s = alarms.thresholds.apply(scored)
            hub.scores(s)
            alarms.scores(s)
            // Posted by structured clone (no transfer), which copies: the hub's batch stays intact.
            store.writeScores(s)
            counters.windowsScored += s.t.length
          }
          for (const p of res.predictions) {
            hub.predictions(p)
            alarms.predictions(p)
            store.writePredictions(p)
          }
          for (const e of res.errors)
            if (!reportedErrors.has(e)) {
              reportedErrors.add(e)
              // A model withdrawn while running was reported by hot-models already (hot-models.ts remove).
              if (!modelErrors.some((x) => x.folder === batch.assetId && x.message === e))
                modelErrors.push({ folder: batch.assetId, message: e })
            }
          latency.add(performance.now() - arrived)
        })
        .catch((e: unknown) => {
          counters.dropped += n
          pipelineStatus(batch.assetId, 'failed', e instanceof Error ? e.message : String(e))
        })
      track(batch.assetId, done)
    }

    // Secrets open on first use: a plant without passwords never creates the key file.
    const dataDir = opts.userDataDir ?? userDataDir()
    const given = opts.secrets
    let secrets: SecretStore | undefined
    const secretStore = () =>
      (secrets ??= typeof given === 'function' ? given() : (given ?? openSecrets(dataDir)))
    const secret = (name: string) => secretStore().get(name)
    // The publisher is one more hub subscriber; it stops after the sources, once in-flight batches are out.
    const publishCfg = opts.publish ?? plant.publish
    const publisher = publishCfg ? startMqttPublisher(publishCfg, plant, secret) : undefined
    if (publisher) {
      const off = hub.subscribe((m) => publisher.live(m))
      stops.push(async () => {
        off()
        await publisher.stop()
      })
    }

    const opcua = opcuaHandlers({ dataDir, secret })
    stops.push(() => opcua.close())

    // Models fitted in the app or dropped into the user's folder are served without a restart.
    let modelsRevision = 0
    const hot = hotModels({
      plant,
      models: registry.models,
      modelErrors,
      userDir,
      setModels: (models, assets) => pipeline.setModels(models, assets),
      onServed: (model, assetIds) => {
        // Its alarms, adaptive threshold and RUL figure, as for a model loaded at start.
        alarms.addModel(model.card)
        // Open windows re-read the plant and the model list: its panel shows without a reconnect.
        hub.models({ topic: 'models', revision: ++modelsRevision, modelId: model.card.id, assetIds })
      },
      // Its folder was deleted: its alarms go, and open windows re-read the model list, where it no longer is.
      onRemoved: (model, namedBy) => {
        alarms.removeModel(model.card, namedBy)
        hub.models({ topic: 'models', revision: ++modelsRevision, modelId: model.card.id, assetIds: [] })
      },
    })
    const userModels = userDir
      ? watchUserModels({
          dir: userDir,
          loaded: () => registry.models,
          onLoaded: (m) => void hot.serve(m),
          onReplaced: (prev, next) => void hot.replace(prev, next),
          onRemoved: (m) => void hot.remove(m),
          onErrors: (e) => hot.userErrors(e),
        })
      : undefined
    if (userModels) stops.push(async () => userModels.close())

    const handles = new Map<string, SourceHandle>()
    const sourceStops = stops.length
    for (const asset of plant.assets) {
      const kind: SourceKind = sourceKinds[asset.source.kind]
      const cfg =
        asset.source.kind === 'simulator' && opts.simSpeed
          ? { ...asset.source, speed: opts.simSpeed }
          : asset.source
      const handle = await kind.start(
        cfg,
        asset,
        {
          batch: onSource,
          status: (s) => {
            const status = meter.report({ ...s, assetId: asset.id, kind: asset.source.kind, at: Date.now() })
            hub.status(status)
            alarms.status(status)
          },
        },
        {
          history: (r) => store.range(r),
          storedAsset: (id) => store.storedAsset(id),
          ingest,
          dataDir,
          secret,
        },
      )
      handles.set(asset.id, handle)
      stops.push(once(() => handle.stop()))
    }

    const faultsOf = (assetId: string) => {
      const h = handles.get(assetId)
      if (!h) throw new VigilError('not-found', `no asset "${assetId}" in plant "${plant.name}"`)
      if (!h.faults)
        throw new VigilError(
          'bad-request',
          `asset "${assetId}" is not simulated; faults can only be injected into a simulator`,
        )
      return h.faults
    }
    const health = async (): Promise<Health> => {
      // A failed store still lets health answer, with the reason in `store`.
      const stats = await store.stats().catch(() => ({ bytes: 0 }))
      return {
        startedAt,
        ...counters,
        ...pipeline.counters(),
        pipelineLatencyMs: latency.percentiles(),
        dbBytes: stats.bytes,
        sources: hub.statuses().map((s) => meter.fill(s)),
        models: registry.models.map((m) => ({ id: m.card.id, version: m.card.version })),
        modelErrors,
        clients: hub.subscribers,
        store: store.status(),
        load: shedding.status(),
        memory: memoryNow(),
        assets: flow.list(),
      }
    }

    const handled = createDispatch({
      ...alarms.handlers,
      ...importHandlers(imports, handles),
      ...simHandlers(handles),
      ...opcua.handlers,
      ...secretHandlers(secretStore),
      'plant.describe': async () => ({
        name: plant.name,
        assets: [
          ...plant.assets.map((a) => ({
            id: a.id,
            name: a.name,
            class: a.class,
            tags: a.tags,
            models: registry.models
              .filter((m) => a.models.includes(m.card.id))
              .map((m) => ({
                id: m.card.id,
                version: m.card.version,
                threshold: m.card.threshold.value,
                window: m.card.inputs.window,
                kind: m.card.kind,
              })),
          })),
          // Assets only the history holds (a CSV imported as a new asset): readable, never live.
          ...(await store.historyAssets(plant.assets.map((a) => a.id))).map((a) => ({
            ...a,
            class: AssetClass.safeParse(a.class).data ?? 'other',
            models: [],
            origin: 'imported' as const,
          })),
        ],
      }),
      'live.snapshot': ({ assetId, seconds }) => {
        const snap = hub.snapshot(assetId, seconds)
        if (!snap) throw new VigilError('not-found', `no asset "${assetId}" in plant "${plant.name}"`)
        return snap
      },
      'history.range': (req) => store.range(req),
      'sim.inject': ({ assetId, fault, tag, rampS, severity }) => {
        const asset = plant.assets.find((a) => a.id === assetId)
        if (tag !== undefined && !asset?.tags.some((t) => t.id === tag))
          throw new VigilError('not-found', `asset "${assetId}" has no tag "${tag}"`)
        if (fault.startsWith('sensor_') && tag === undefined)
          throw new VigilError('bad-request', `sim.inject: fault "${fault}" needs a tag`)
        const active = faultsOf(assetId).inject({ kind: fault, tag, rampS, severity })
        hub.faults(assetId, active)
        return { active }
      },
      'sim.clear': ({ assetId, fault }) => {
        const active = faultsOf(assetId).clear(fault)
        hub.faults(assetId, active)
        return { active }
      },
      'models.list': () => ({ models: registry.models.map((m) => m.card), errors: modelErrors }),
      'system.health': health,
      'history.stats': () => store.history(),
      'history.export': (req) => store.exportText(req),
      ...historyHandlers(store, (id) => plant.assets.some((a) => a.id === id)),
      ...assistantHandlers({
        plant,
        // Read on each call: a model fitted in the app joins the registry while the engine runs.
        isDetector: (id) => registry.models.some((m) => m.card.id === id && isDetector(m)),
        store,
        alarms,
        lastSampleAt: (id) => flow.list().find((a) => a.assetId === id)?.lastSampleAt ?? null,
      }),
      ...modelHandlers({
        store,
        plant,
        models: registry.models,
        userModelsDir: userDir,
        // A fitted model serves its asset from the threads' next message: no restart.
        onFitted: (model, assetId) => void hot.serve(model, assetId),
      }),
      'models.reload': () => {
        if (!userModels)
          throw new VigilError(
            'unavailable',
            'models.reload: this engine was started without a folder for user models (userModelsDir)',
          )
        return userModels.rescan()
      },
    })
    // Every call passes the role check and, unless it only views, the audit trail (alarms/access.ts).
    const dispatch = neverThrows(alarms.guard(handled))

    const settle = async () => {
      while (pending.size) await Promise.allSettled([...pending])
      await store.flush()
    }

    return {
      plant,
      hub,
      ingest,
      publisher,
      dispatch,
      health,
      settle,
      load: () => shedding.status(),
      subscribe: (fn) => hub.subscribe(fn),
      async stop() {
        // Sources first so nothing new arrives, then let what is in flight reach the store.
        for (const stop of stops.slice(sourceStops).reverse()) await stop().catch(() => {})
        await Promise.allSettled([...pending])
        await stopAll()
      },
    }
  } catch (e) {
    await stopAll()
    throw e
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let p: Promise<void> | null = null
  return () => (p ??= fn())
}

/**
 * The copy packs every column into two buffers (times and values; quality), so the writer is
 * handed 2 buffers instead of 21: at a hundred assets each transferred buffer costs more
 * than the bytes in it.
 */
function copyBatch(b: SampleBatch & { quality: Uint8Array[] }): SampleBatch & { quality: Uint8Array[] } {
  const n = b.t.length
  const f = new Float64Array(n * (1 + b.values.length))
  const q = new Uint8Array(n * b.quality.length)
  f.set(b.t)
  const values = b.values.map((v, k) => {
    f.set(v, n * (k + 1))
    return f.subarray(n * (k + 1), n * (k + 2))
  })
  const quality = b.quality.map((col, k) => {
    q.set(col, n * k)
    return q.subarray(n * k, n * (k + 1))
  })
  return { assetId: b.assetId, t: f.subarray(0, n), values, quality }
}

/** The unbatched baseline: one batch per sample. */
function splitRows(b: SampleBatch): SampleBatch[] {
  return Array.from(b.t, (_, i) => ({
    assetId: b.assetId,
    t: b.t.slice(i, i + 1),
    values: b.values.map((v) => v.slice(i, i + 1)),
  }))
}
