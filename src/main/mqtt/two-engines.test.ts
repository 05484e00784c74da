import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { PlantConfig } from '../../shared/plant.ts'
import type { LiveMessage, SourceStatus } from '../../shared/samples.ts'
import { createEngine, type RunningEngine } from '../engine/engine.ts'
import { loadPlantConfig } from '../engine/plant-config.ts'
import { demoPlantPath } from '../paths.ts'
import { startMosquitto, type Mosquitto } from './mosquitto.ts'
import { sleep, until } from './test-helpers.ts'

/**
 * The edge/workstation layout for real: engine A runs the simulated P-101 and publishes
 * Sparkplug B; engine B's P-101 is an MQTT source subscribed to A through Mosquitto.
 */
const pump = loadPlantConfig(demoPlantPath()).assets.find((a) => a.id === 'P-101')!
const SIM_SPEED = 20 // samples per wall second (the pump samples at 1 Hz of simulated time)

interface Side {
  engine: RunningEngine
  /** t -> values in tag order, as the hub streamed them (validated). */
  rows: Map<number, number[]>
  scores: Map<number, number>
  statuses: SourceStatus[]
}

let dir = ''
let broker: Mosquitto | null = null
const engines: RunningEngine[] = []
afterEach(async () => {
  for (const e of engines.splice(0).reverse()) await e.stop()
  await broker?.dispose()
  broker = null
  if (dir) rmSync(dir, { recursive: true, force: true })
})

async function side(name: string, plant: PlantConfig): Promise<Side> {
  const engine = await createEngine({ config: plant, dbPath: join(dir, `${name}.db`), simSpeed: SIM_SPEED })
  engines.push(engine)
  const s: Side = { engine, rows: new Map(), scores: new Map(), statuses: [] }
  engine.subscribe((m: LiveMessage) => {
    if (m.topic === 'samples')
      for (let i = 0; i < m.batch.t.length; i++)
        s.rows.set(
          m.batch.t[i]!,
          m.batch.values.map((v) => v[i]!),
        )
    else if (m.topic === 'scores')
      for (let w = 0; w < m.batch.t.length; w++) s.scores.set(m.batch.t[w]!, m.batch.score[w]!)
    else if (m.topic === 'status') s.statuses.push(m.status)
  })
  return s
}

/** Workstation first (so it hears the edge's first birth), then the edge. */
async function pair(opts: { models: string[]; dataQos: 0 | 1; persistence?: boolean }) {
  dir = mkdtempSync(join(tmpdir(), 'vigil-two-engines-'))
  broker = await startMosquitto({ persistence: opts.persistence })
  const reconnect = { minMs: 100, maxMs: 400 }
  const ws = await side('workstation', {
    name: 'Workstation',
    assets: [
      {
        ...pump,
        models: opts.models,
        source: {
          kind: 'mqtt',
          broker: { url: broker.url, clientId: 'workstation-b', clean: false, keepaliveS: 30, reconnect },
          sparkplug: { group: 'Plant', node: 'edge-a', device: 'P-101', metrics: {}, rebirthEveryMs: 1000 },
          qos: 1,
          staleAfterS: 30,
          holdMs: 100,
          statusEveryMs: 500,
        },
      },
    ],
  })
  await until(
    () => ws.statuses.some((s) => /connected/.test(s.message ?? '')),
    5000,
    'the workstation to connect',
  )
  const edge = await side('edge', {
    name: 'Edge',
    assets: [{ ...pump, models: opts.models }],
    publish: {
      broker: { url: broker.url, clientId: 'edge-a', clean: false, keepaliveS: 30, reconnect },
      format: 'sparkplug',
      group: 'Plant',
      node: 'edge-a',
      topicPrefix: 'vigil',
      dataQos: opts.dataQos,
      samples: true,
      scores: true,
    },
  })
  return { edge, ws }
}

const isGap = (row: number[]) => row.every((v) => Number.isNaN(v))
const sorted = (m: Map<number, unknown>) => [...m.keys()].sort((a, b) => a - b)

describe('two engines over MQTT (edge publishes Sparkplug B, workstation subscribes)', () => {
  it('agree on every sample and every score for the same timestamps', async () => {
    const { edge, ws } = await pair({ models: ['pump-ae'], dataQos: 0 })
    await until(() => ws.scores.size >= 60, 60_000, '60 scored windows at the workstation')
    // Each side scores on its own pipeline thread: on a loaded machine the edge's scores of
    // the same windows can come seconds after the workstation's, so wait for them too.
    const both = () => [...ws.scores.keys()].filter((t) => edge.scores.has(t)).length
    await until(() => both() >= 50, 60_000, '50 windows scored on both sides')
    const times = sorted(ws.rows)
    expect(times.length).toBeGreaterThan(80)
    // Everything the edge sampled from the workstation's first sample on arrived, unchanged.
    const expected = sorted(edge.rows).filter((t) => t >= times[0]! && t <= times.at(-1)!)
    expect(times).toEqual(expected)
    for (const t of times) expect(ws.rows.get(t)).toEqual(edge.rows.get(t))
    // The workstation scores the same windows with the same model: the same anomaly scores.
    let compared = 0
    for (const [t, score] of ws.scores) {
      const theirs = edge.scores.get(t)
      if (theirs === undefined) continue
      expect(Math.abs(score - theirs)).toBeLessThan(1e-6 * Math.max(1, Math.abs(theirs)))
      compared++
    }
    expect(compared).toBeGreaterThanOrEqual(50)
    const running = ws.statuses.filter((s) => s.state === 'running' && s.samplesPerS! > 0).at(-1)
    console.log(
      `workstation: ${times.length} samples, ${compared} windows compared, ${running?.samplesPerS?.toFixed(1)} samples/s; edge published ${edge.engine.publisher!.stats().messages} messages`,
    )
  })

  it('lose no QoS 1 sample when the broker restarts mid-stream, and the workstation shows it was stale', async () => {
    const { edge, ws } = await pair({ models: [], dataQos: 1, persistence: true })
    await until(() => ws.rows.size >= 40, 30_000, 'samples before the restart')
    await broker!.restart(500)
    const resumedAfter = sorted(edge.rows).at(-1)!
    await until(
      () => (sorted(ws.rows).at(-1) ?? 0) > resumedAfter + 40_000,
      30_000,
      'samples well after the restart',
    )
    const times = sorted(ws.rows)
    const expected = sorted(edge.rows).filter((t) => t >= times[0]! && t <= times.at(-1)!)
    expect(times).toEqual(expected)
    expect([...ws.rows.values()].some(isGap)).toBe(false)
    const stale = ws.statuses.findIndex((s) => s.state === 'stale')
    expect(stale).toBeGreaterThanOrEqual(0)
    expect(ws.statuses.slice(stale).some((s) => s.state === 'running')).toBe(true)
    expect(edge.engine.publisher!.stats().births).toBeGreaterThanOrEqual(2)
  })

  it('mark the hole left by QoS 0 data published while the broker was down as MISSING', async () => {
    const { edge, ws } = await pair({ models: [], dataQos: 0 })
    await until(() => ws.rows.size >= 40, 30_000, 'samples before the restart')
    await broker!.stop()
    await sleep(150)
    const before = sorted(ws.rows).at(-1)!
    await broker!.restart(500)
    await until(() => (sorted(ws.rows).at(-1) ?? 0) > before + 40_000, 30_000, 'samples after the restart')
    const times = sorted(ws.rows)
    const gaps = times.filter((t) => isGap(ws.rows.get(t)!))
    expect(gaps).toEqual([before + 1000])
    const after = times[times.indexOf(gaps[0]!) + 1]!
    const lost = sorted(edge.rows).filter((t) => t > before && t < after)
    expect(lost.length).toBeGreaterThan(0)
    // Every sample that did arrive is the edge's, unchanged.
    for (const t of times) if (!gaps.includes(t)) expect(ws.rows.get(t)).toEqual(edge.rows.get(t))
    const stale = ws.statuses.findIndex((s) => s.state === 'stale')
    expect(stale).toBeGreaterThanOrEqual(0)
    console.log(
      `QoS 0 across a broker restart: ${lost.length} samples lost, marked by one MISSING row at ${gaps[0]}`,
    )
  })
})
