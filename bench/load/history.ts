/*
 * A history for the load run to start on: `rows` readings per pump written through the store
 * (its writer thread, blocks and rollups) before the engine opens the file, so memory is
 * measured beside a realistic database rather than an empty one. 10 million values = 1
 * million readings of 10 tags, e.g. 10,000 readings for each of 100 pumps. Run in a process
 * of its own (run-load.ts does), so the writing does not count in the run's peak memory:
 *   node bench/load/history.ts --db FILE --pumps 100 --hz 10 --rows 10000
 */
import { parseArgs } from 'node:util'
import type { PlantConfig } from '../../src/shared/plant.ts'
import { generatePump, PUMP_TAGS } from '../../src/main/sources/simulator/index.ts'
import { openStore } from '../../src/main/store/store.ts'
import { loadPlant } from './plant.ts'

export async function prefillHistory(dbPath: string, plant: PlantConfig, rows: number): Promise<number> {
  const store = await openStore({ path: dbPath, assets: plant.assets })
  const end = Date.now() - 60_000
  const chunk = 5000
  let written = 0
  try {
    for (const [i, asset] of plant.assets.entries()) {
      const order = asset.tags.map((t) => PUMP_TAGS.indexOf(t.id as (typeof PUMP_TAGS)[number]))
      for (let from = 0; from < rows; from += chunk) {
        const n = Math.min(chunk, rows - from)
        const b = generatePump({ seed: 7 + i, startMs: end - (rows - from) * 1000, n, rateHz: 1 })
        const values = order.map((k) => b.values[k]!)
        const quality = values.map(() => new Uint8Array(n))
        store.writeSamples({ assetId: asset.id, t: b.t, values, quality })
        written += n * values.length
      }
    }
    await store.flush()
  } finally {
    await store.close()
  }
  return written
}

if (import.meta.filename === process.argv[1]) {
  const { values: a } = parseArgs({
    options: {
      db: { type: 'string' },
      pumps: { type: 'string', default: '100' },
      hz: { type: 'string', default: '10' },
      rows: { type: 'string', default: '10000' },
      seed: { type: 'string', default: '1' },
    },
  })
  if (!a.db) throw new Error('history.ts: --db FILE is required')
  const plant = loadPlant({ pumps: Number(a.pumps), rateHz: Number(a.hz), seed: Number(a.seed) })
  process.stdout.write(`${await prefillHistory(a.db, plant, Number(a.rows))}\n`)
}
