import { readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { VigilError } from '../../../shared/errors.ts'
import { PlantConfig, SimulatorSource, type AssetConfig } from '../../../shared/plant.ts'
import type { SampleBatch, SourceStatus } from '../../../shared/samples.ts'
import { sourceKinds } from '../index.ts'
import {
  CASTER_TAGS,
  COMPRESSOR_TAGS,
  generateCasts,
  generateCompressor,
  generatePump,
  PUMP_TAGS,
  simulator,
} from './index.ts'

const plant = PlantConfig.parse(
  JSON.parse(readFileSync(new URL('../../../../resources/demo-plant.json', import.meta.url), 'utf8')),
)
const pump = plant.assets[0]!

function collect() {
  const batches: SampleBatch[] = []
  const statuses: Omit<SourceStatus, 'assetId' | 'kind' | 'at'>[] = []
  return {
    batches,
    statuses,
    out: {
      batch: (b: SampleBatch) => batches.push(b),
      status: (s: (typeof statuses)[number]) => statuses.push(s),
    },
  }
}
const cfg = (o: object) => SimulatorSource.parse({ kind: 'simulator', model: 'pump', ...o })

describe('simulator source', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    vi.setSystemTime(Date.UTC(2024, 5, 1, 8))
  })
  afterEach(() => vi.useRealTimers())

  it('is registered under its kind and produces the demo plant pump in its tag order', () => {
    expect(sourceKinds.simulator).toBe(simulator)
    expect(pump.tags.map((t) => t.id)).toEqual([...PUMP_TAGS])
  })

  it('emits rateHz x speed samples per wall second, stamped in simulated time, as the generator makes them', async () => {
    const c = collect()
    const h = simulator.start(cfg({ seed: 101, rateHz: 10, speed: 6 }), pump, c.out)
    vi.advanceTimersByTime(2000)
    await (await h).stop()
    expect(c.statuses[0]).toEqual({ state: 'running' })
    expect(c.statuses.at(-1)).toEqual({ state: 'stopped' })
    const n = c.batches.reduce((s, b) => s + b.t.length, 0)
    expect(n).toBe(120)
    expect(c.batches.length).toBeGreaterThanOrEqual(10) // ticks of 100-1000 ms, never one lump
    const t0 = c.batches[0]!.t[0]!
    expect(t0).toBe(Date.UTC(2024, 5, 1, 8))
    const all = generatePump({ seed: 101, startMs: t0, n, rateHz: 10 })
    let i = 0
    for (const b of c.batches) {
      expect(b.assetId).toBe('P-101')
      for (let k = 0; k < b.t.length; k++, i++) {
        expect(b.t[k]).toBe(all.t[i])
        expect(b.values.map((v) => v[k])).toEqual(all.values.map((v) => v[i]))
      }
    }
  })

  it('follows the asset tag order, including a subset in another order', async () => {
    const asset: AssetConfig = { ...pump, tags: [pump.tags[4]!, pump.tags[0]!] }
    const c = collect()
    const h = await simulator.start(cfg({ seed: 3 }), asset, c.out)
    vi.advanceTimersByTime(5000)
    await h.stop()
    const all = generatePump({ seed: 3, startMs: c.batches[0]!.t[0]!, n: 5 })
    const flat = (k: number) => c.batches.flatMap((b) => Array.from(b.values[k]!))
    expect(flat(0)).toEqual(Array.from(all.values[4]!))
    expect(flat(1)).toEqual(Array.from(all.values[0]!))
  })

  it('injects and clears faults at run time, stamped with the simulated time of the next sample', async () => {
    const c = collect()
    const h = await simulator.start(cfg({ seed: 9, speed: 60 }), pump, c.out)
    vi.advanceTimersByTime(1000)
    const active = h.faults!.inject({ kind: 'bearing_wear', rampS: 30 })
    expect(active).toEqual([
      { kind: 'bearing_wear', since: Date.UTC(2024, 5, 1, 8) + 60_000, rampS: 30, severity: 1 },
    ])
    vi.advanceTimersByTime(1000)
    const vib = c.batches.flatMap((b) => Array.from(b.values[PUMP_TAGS.indexOf('Vibration_mm_s')]!))
    expect(Math.max(...vib.slice(100))).toBeGreaterThan(Math.max(...vib.slice(0, 60)) + 5)
    expect(() => h.faults!.inject({ kind: 'sensor_stuck', tag: 'Nope' })).toThrow(/has no tag "Nope"/)
    expect(h.faults!.clear('bearing_wear')).toEqual([])
    await h.stop()
    const after = c.batches.length
    vi.advanceTimersByTime(5000)
    expect(c.batches.length).toBe(after)
  })

  it('skips a long backlog after a pause instead of replaying it', async () => {
    const c = collect()
    const h = await simulator.start(cfg({ seed: 1 }), pump, c.out)
    vi.advanceTimersByTime(2000)
    vi.setSystemTime(Date.now() + 3_600_000) // the laptop slept an hour
    vi.advanceTimersByTime(1000)
    await h.stop()
    expect(c.statuses.some((s) => /skipped \d+ samples/.test(s.message ?? ''))).toBe(true)
    const last = c.batches.at(-1)!
    expect(last.t.length).toBeLessThanOrEqual(2)
    expect(last.t.at(-1)!).toBeGreaterThan(Date.UTC(2024, 5, 1, 9))
  })

  it('refuses an asset with a tag the pump does not have, naming it', () => {
    const asset = { ...pump, tags: [...pump.tags, { ...pump.tags[0]!, id: 'Impeller_Color' }] }
    expect(() => simulator.start(cfg({}), asset, collect().out)).toThrow(VigilError)
    expect(() => simulator.start(cfg({}), asset, collect().out)).toThrow(/P-101: tag "Impeller_Color"/)
  })
})

describe('simulator source, compressor and caster', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    vi.setSystemTime(Date.UTC(2024, 5, 1, 8))
  })
  afterEach(() => vi.useRealTimers())
  const compressor = plant.assets.find((a) => a.id === 'C-201')!
  const caster = plant.assets.find((a) => a.id === 'CC-1')!

  it('runs the demo plant compressor C-201 in its tag order, as the generator makes it', async () => {
    expect(compressor.source).toMatchObject({ kind: 'simulator', model: 'compressor' })
    expect(compressor.tags.map((t) => t.id)).toEqual([...COMPRESSOR_TAGS])
    const c = collect()
    const h = await simulator.start(cfg({ model: 'compressor', seed: 201, speed: 30 }), compressor, c.out)
    vi.advanceTimersByTime(2000)
    await h.stop()
    const got = c.batches.flatMap((b) => Array.from(b.values[5]!))
    const want = generateCompressor({ seed: 201, startMs: c.batches[0]!.t[0]!, n: got.length }).batch
    expect(got.length).toBe(60)
    expect(got).toEqual(Array.from(want.values[5]!))
  })

  it('offers the compressor setpoints on its handle, and refuses a fault that belongs to another machine', async () => {
    const h = await simulator.start(cfg({ model: 'compressor' }), compressor, collect().out)
    expect(h.setpoints!.set('Shaft_Speed_rpm', 13_800)[0]).toMatchObject({ value: 13_800, held: true })
    expect(() => h.faults!.inject({ kind: 'cavitation' })).toThrow(
      /compressor simulator has no fault "cavitation"/,
    )
    expect(h.faults!.inject({ kind: 'fouling', rampS: 0 })[0]!.kind).toBe('fouling')
    await h.stop()
  })

  it('runs the demo plant caster CC-1: cast numbers in sequence, the same casts as the generator', async () => {
    expect(caster.tags.map((t) => t.id)).toEqual([...CASTER_TAGS])
    const c = collect()
    const h = await simulator.start(cfg({ model: 'caster', seed: 301, speed: 600 }), caster, c.out)
    vi.advanceTimersByTime(3000)
    await h.stop()
    expect(h.setpoints).toBeUndefined()
    const casts = c.batches.flatMap((b) => Array.from(b.values[0]!))
    expect(casts.length).toBe(1800)
    const { batch } = generateCasts({ seed: 301, startMs: c.batches[0]!.t[0]!, n: 1 })
    expect(casts.slice(0, batch.t.length)).toEqual(Array.from(batch.values[0]!))
    expect(new Set(casts).size).toBeGreaterThanOrEqual(4) // half an hour of 3-7 minute casts
  })
})
