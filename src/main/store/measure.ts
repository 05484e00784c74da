/*
 * Quick measurement of the history store on this machine (not a test: it asserts nothing).
 *   node src/main/store/measure.ts [samples=1000000] [tags=10]
 * Prints the insert rate for samples x tags written through the store, the bytes per value
 * on disk, and the time of range queries. bench/ owns comparisons against baselines.
 */
import { statSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import type { SampleBatch } from '../../shared/samples.ts'
import { openStore } from './store.ts'
import { pumpAsset, tempDir } from './test-plant.ts'

const samples = Number(process.argv[2] ?? 1_000_000)
const tagCount = Number(process.argv[3] ?? 10)
const perBatch = 10_000
const T0 = Date.UTC(2025, 0, 1)
const asset = pumpAsset(
  'P-101',
  Array.from({ length: tagCount }, (_, k) => `Tag_${k}`),
)
const tmp = tempDir()
const path = tmp.file('measure.db')

// Made before the clock starts: the store's cost, not the generator's, is measured.
let seed = 1
const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5
const batches: SampleBatch[] = []
for (let s = 0; s < samples; s += perBatch) {
  const n = Math.min(perBatch, samples - s)
  const t = Float64Array.from({ length: n }, (_, i) => T0 + (s + i) * 1000)
  const values = Array.from({ length: tagCount }, (_, k) =>
    Float64Array.from({ length: n }, (_, i) => 50 * k + 10 * Math.sin((s + i) / 3600) + rand()),
  )
  const quality = Array.from({ length: tagCount }, () => new Uint8Array(n))
  batches.push({ assetId: asset.id, t, values, quality })
}

const store = await openStore({ path, assets: [asset] })
const start = performance.now()
for (const b of batches) store.writeSamples(b)
await store.flush()
const seconds = (performance.now() - start) / 1000
await store.close()
const bytes = statSync(path).size
const values = samples * tagCount
console.log(`insert: ${samples} samples x ${tagCount} tags in ${seconds.toFixed(2)} s`)
console.log(`  ${Math.round(samples / seconds)} samples/s, ${Math.round(values / seconds)} values/s`)
console.log(`  file ${(bytes / 2 ** 20).toFixed(1)} MiB, ${(bytes / values).toFixed(2)} bytes/value`)

const reader = await openStore({ path, assets: [asset] })
// A day of one window per second, as the pump model logs them.
const windows = 86_400
const tags = asset.tags.map((t) => t.id)
const scoreStart = performance.now()
for (let s = 0; s < windows; s += 600) {
  const score = Float64Array.from({ length: 600 }, () => 0.5 + rand())
  reader.writeScores({
    assetId: asset.id,
    modelId: 'pump-ae',
    modelVersion: '1',
    tags,
    threshold: 0.9,
    t: Float64Array.from({ length: 600 }, (_, i) => T0 + (s + i) * 1000),
    score,
    anomaly: Uint8Array.from(score, (x) => (x > 0.9 ? 1 : 0)),
    contrib: new Float64Array(600 * tagCount).fill(1 / tagCount),
    sensorState: new Uint8Array(600 * tagCount),
    latencyMs: 0.5,
  })
}
await reader.flush()
console.log(`model outputs: ${Math.round(windows / ((performance.now() - scoreStart) / 1000))} windows/s`)

async function time(label: string, query: () => Promise<unknown>) {
  const runs: number[] = []
  for (let i = 0; i < 7; i++) {
    const t = performance.now()
    await query()
    runs.push(performance.now() - t)
  }
  runs.sort((a, b) => a - b)
  console.log(`  ${label}: median ${runs[3]!.toFixed(1)} ms (min ${runs[0]!.toFixed(1)})`)
}
const day = 86_400_000
const range = (req: { from: number; to: number; maxPoints: number; tags?: string[] }) => () =>
  reader.range({ assetId: asset.id, ...req })
console.log('range queries:')
await time(
  '1 day at 1 Hz, all tags -> 1000 points',
  range({ from: T0 + day, to: T0 + 2 * day, maxPoints: 1000 }),
)
await time(
  '1 day at 1 Hz, 1 tag -> 1000 points',
  range({ from: T0 + day, to: T0 + 2 * day, maxPoints: 1000, tags: ['Tag_3'] }),
)
await time('1 hour, all tags, raw', range({ from: T0 + day, to: T0 + day + 3_600_000, maxPoints: 5000 }))
const all = `all ${(samples / 86_400).toFixed(1)} days, all tags -> 1000 points`
await time(all, range({ from: T0, to: T0 + samples * 1000, maxPoints: 1000 }))
await time('score history, 1 day of windows -> 1000 points', () =>
  reader.scores({ assetId: asset.id, from: T0, to: T0 + day, maxPoints: 1000 }),
)
await reader.close()
tmp.remove()
