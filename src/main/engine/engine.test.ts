import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Result } from '../../shared/errors.ts'
import type { LiveMessage, ScoreBatch } from '../../shared/samples.ts'
import type { SeriesBlock } from '../../shared/contract.ts'
import { createEngine, type RunningEngine } from './engine.ts'

const dir = mkdtempSync(join(tmpdir(), 'vigil-engine-'))
let engine: RunningEngine
const scores: ScoreBatch[] = []

/** Waits until `pred` holds over the scores received so far, polling; bounded by `ms`. */
async function until(pred: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms
  while (!pred()) {
    if (Date.now() > end) throw new Error('condition not reached in time')
    await new Promise((r) => setTimeout(r, 50))
  }
}
const windows = (from = 0) => scores.slice(from).reduce((n, s) => n + s.t.length, 0)
const value = <T>(r: Result<unknown>) => {
  if (!r.ok) throw new Error(r.error.message)
  return r.value as T
}

beforeAll(async () => {
  // A real SQLite file, the shipped ONNX model in a worker thread, the simulator 300x real time.
  engine = await createEngine({ dbPath: join(dir, 'engine.db'), simSpeed: 300 })
  engine.subscribe((m: LiveMessage) => {
    if (m.topic === 'scores') scores.push(m.batch)
  })
})
afterAll(async () => {
  await engine?.stop()
})

describe('engine on the demo plant', () => {
  let normalWindows = 0
  let normalAnomalies = 0

  it('keeps normal running NORMAL at a low false-alarm rate', async () => {
    await until(() => windows() >= 1500, 60_000)
    for (const s of scores) {
      normalWindows += s.anomaly.length
      for (const a of s.anomaly) normalAnomalies += a
    }
    const far = normalAnomalies / normalWindows
    console.log(
      `normal running: ${normalAnomalies} anomalous of ${normalWindows} windows, FAR ${(far * 100).toFixed(2)}%`,
    )
    expect(far).toBeLessThan(0.02)
  })

  it('turns P-101 ANOMALY under bearing wear and names bearing temperature or vibration', async () => {
    const from = scores.length
    const r = await engine.dispatch('sim.inject', { assetId: 'P-101', fault: 'bearing_wear', rampS: 600 })
    expect(r.ok).toBe(true)
    // Detection: five anomalous windows in a row, within 30 simulated minutes.
    const detect = () => {
      let run = 0
      let seen = 0
      for (const s of scores.slice(from))
        for (let w = 0; w < s.t.length; w++) {
          seen++
          run = s.anomaly[w] ? run + 1 : 0
          if (run < 5) continue
          const F = s.tags.length
          const row = Array.from(s.contrib.subarray(w * F, w * F + F))
          return { at: seen, top: s.tags[row.indexOf(Math.max(...row))]! }
        }
      return null
    }
    let found: { at: number; top: string } | null = null
    await until(() => (found = detect()) !== null || windows(from) > 1800, 60_000)
    const { at: detectedAt, top } = found ?? { at: -1, top: '' }
    console.log(`bearing wear (600 s ramp) detected after ${detectedAt} windows; top contributor ${top}`)
    expect(detectedAt).toBeGreaterThan(0)
    expect(['Bearing_Temperature_C', 'Vibration_mm_s']).toContain(top)
  })

  it('stores what it streamed: history.range returns the run with spikes kept by min/max', async () => {
    await engine.settle()
    const snap = value<{ samples: { t: Float64Array } }>(
      await engine.dispatch('live.snapshot', { assetId: 'P-101', seconds: 3600 }),
    )
    const t = snap.samples.t
    expect(t.length).toBeGreaterThan(100)
    const block = value<SeriesBlock>(
      await engine.dispatch('history.range', {
        assetId: 'P-101',
        from: t[0]!,
        to: t[t.length - 1]! + 1,
        maxPoints: 200,
      }),
    )
    expect(block.tags).toHaveLength(10)
    expect(block.t.length).toBeGreaterThan(0)
    expect(block.t.length).toBeLessThanOrEqual(200)
    const k = block.tags.indexOf('Bearing_Temperature_C')
    for (let i = 0; i < block.t.length; i++)
      if (block.min[k]![i] === block.min[k]![i])
        expect(block.min[k]![i]!).toBeLessThanOrEqual(block.max[k]![i]!)
  })

  it('reports its health: samples in, windows scored, latency, database size, the model loaded', async () => {
    const h = value<{
      samplesIn: number
      windowsScored: number
      dbBytes: number
      models: { id: string }[]
      pipelineLatencyMs: { p99: number }
    }>(await engine.dispatch('system.health', {}))
    expect(h.samplesIn).toBeGreaterThan(1000)
    expect(h.windowsScored).toBeGreaterThan(1000)
    expect(h.dbBytes).toBeGreaterThan(0)
    expect(h.models.map((m) => m.id)).toContain('pump-ae')
    expect(h.pipelineLatencyMs.p99).toBeGreaterThan(0)
    console.log(`pipeline latency ms p50/p95/p99: ${JSON.stringify(h.pipelineLatencyMs)}`)
  })

  it('refuses bad requests with a message naming the field, and keeps running', async () => {
    const r1 = await engine.dispatch('sim.inject', { assetId: 'P-101', fault: 'meteor' })
    expect(!r1.ok && r1.error.message).toMatch(/sim\.inject: fault/)
    const r2 = await engine.dispatch('sim.inject', { assetId: 'P-999', fault: 'seal_leak' })
    expect(!r2.ok && r2.error.code).toBe('not-found')
    const r3 = await engine.dispatch('sim.inject', { assetId: 'P-101', fault: 'sensor_stuck' })
    expect(!r3.ok && r3.error.message).toMatch(/needs a tag/)
    const r4 = await engine.dispatch('live.snapshot', { assetId: 'P-101', seconds: 'all' })
    expect(!r4.ok && r4.error.message).toMatch(/seconds/)
    const before = windows()
    await until(() => windows() > before + 10, 20_000)
  })
})
