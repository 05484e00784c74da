import type { Health } from '../../shared/contract.ts'
import { VigilError } from '../../shared/errors.ts'
import type { PlantConfig } from '../../shared/plant.ts'
import type { SampleBatch, ScoreBatch } from '../../shared/samples.ts'
import { Hub } from '../hub/hub.ts'
import { loadModels } from '../models/registry.ts'
import { demoPlantPath, modelsDir as defaultModelsDir } from '../paths.ts'
import { createPipeline } from '../pipeline/pipeline.ts'
import { sourceKinds } from '../sources/index.ts'
import type { SourceHandle } from '../sources/source.ts'
import { openStore } from '../store/store.ts'
import { createDispatch } from './dispatch.ts'
import type { Engine } from './engine-api.ts'
import { LatencyWindow } from './latency.ts'
import { loadPlantConfig } from './plant-config.ts'

export interface EngineOptions {
  /** A validated plant, or a file to read one from; default: the embedded demo plant. */
  config?: PlantConfig
  configPath?: string
  dbPath: string
  modelsDir?: string
  /** Overrides every simulator's speed (simulated seconds per wall second). */
  simSpeed?: number
  shards?: number
}

export interface RunningEngine extends Engine {
  plant: PlantConfig
  hub: Hub
  health(): Promise<Health>
  /** Resolves once every batch received so far is scored, published and committed. */
  settle(): Promise<void>
}

/**
 * The composition root: plant config -> models -> store -> pipeline -> hub -> sources.
 * Electron-free, so the desktop app, `vigil serve` and the tests run the same engine. Stops
 * in reverse order; a failed start stops what had started.
 */
export async function createEngine(opts: EngineOptions): Promise<RunningEngine> {
  const plant = opts.config ?? loadPlantConfig(opts.configPath ?? demoPlantPath())
  const registry = loadModels(opts.modelsDir ?? defaultModelsDir())
  const modelErrors = [...registry.errors]
  const stops: (() => Promise<void>)[] = []
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => {})
  }
  try {
    const store = await openStore({ path: opts.dbPath, assets: plant.assets })
    stops.push(() => store.close())
    const pipeline = createPipeline({ assets: plant.assets, models: registry.models, shards: opts.shards })
    stops.push(() => pipeline.close())
    const hub = new Hub(plant.assets)
    const latency = new LatencyWindow()
    const counters = { samplesIn: 0, windowsScored: 0, samplesStored: 0, dropped: 0 }
    const pending = new Set<Promise<void>>()
    const startedAt = Date.now()
    const reportedErrors = new Set<string>()

    const onBatch = (batch: SampleBatch) => {
      const arrived = performance.now()
      const n = batch.t.length
      counters.samplesIn += n
      const done = pipeline
        .process(batch)
        .then((res) => {
          hub.samples(res.batch, res.rolling)
          // The store's writer takes ownership of what it is sent, so it gets copies.
          store.writeSamples(copyBatch(res.batch))
          counters.samplesStored += n
          for (const s of res.scores) {
            hub.scores(s)
            store.writeScores(copyScores(s))
            counters.windowsScored += s.t.length
          }
          for (const e of res.errors)
            if (!reportedErrors.has(e)) {
              reportedErrors.add(e)
              modelErrors.push({ folder: batch.assetId, message: e })
            }
          latency.add(performance.now() - arrived)
        })
        .catch((e: unknown) => {
          counters.dropped += n
          hub.status({
            assetId: batch.assetId,
            kind: 'pipeline',
            state: 'failed',
            message: String(e),
            at: Date.now(),
          })
        })
        .finally(() => pending.delete(done))
      pending.add(done)
    }

    const handles = new Map<string, SourceHandle>()
    const sourceStops = stops.length
    for (const asset of plant.assets) {
      const kind = sourceKinds[asset.source.kind]
      const cfg =
        asset.source.kind === 'simulator' && opts.simSpeed
          ? { ...asset.source, speed: opts.simSpeed }
          : asset.source
      const handle = await kind.start(cfg, asset, {
        batch: onBatch,
        status: (s) => hub.status({ ...s, assetId: asset.id, kind: asset.source.kind, at: Date.now() }),
      })
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
      const stats = await store.stats()
      return {
        startedAt,
        ...counters,
        pipelineLatencyMs: latency.percentiles(),
        dbBytes: stats.bytes,
        sources: hub.statuses(),
        models: registry.models.map((m) => ({ id: m.card.id, version: m.card.version })),
        modelErrors,
        clients: hub.subscribers,
      }
    }

    const dispatch = createDispatch({
      'plant.describe': () => ({
        name: plant.name,
        assets: plant.assets.map((a) => ({
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
            })),
        })),
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
    })

    const settle = async () => {
      while (pending.size) await Promise.allSettled([...pending])
      await store.flush()
    }

    return {
      plant,
      hub,
      dispatch,
      health,
      settle,
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

function copyBatch(b: SampleBatch & { quality: Uint8Array[] }): SampleBatch & { quality: Uint8Array[] } {
  return {
    assetId: b.assetId,
    t: b.t.slice(),
    values: b.values.map((v) => v.slice()),
    quality: b.quality.map((q) => q.slice()),
  }
}

function copyScores(s: ScoreBatch): ScoreBatch {
  return {
    ...s,
    t: s.t.slice(),
    score: s.score.slice(),
    anomaly: s.anomaly.slice(),
    contrib: s.contrib.slice(),
    sensorState: s.sensorState.slice(),
  }
}
