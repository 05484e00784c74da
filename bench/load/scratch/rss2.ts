import { createEngine } from '../../../src/main/engine/engine.ts'
import { modelsDir } from '../../../src/main/paths.ts'
import { loadPlant } from '../plant.ts'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
const mb = () => { (globalThis as any).gc?.(); return `rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} ab ${(process.memoryUsage().arrayBuffers / 2 ** 20).toFixed(0)} ext ${(process.memoryUsage().external / 2 ** 20).toFixed(0)}` }
console.log('start', mb())
const dir = mkdtempSync(join(tmpdir(), 'vigil-h-'))
const engine = await createEngine({ config: loadPlant({ pumps: Number(process.argv[2] ?? 100), rateHz: 10 }), dbPath: join(dir, 'x.db'), dbPathGiven: true, modelsDir: modelsDir() })
console.log('engine', mb())
for (let i = 0; i < 5; i++) { await new Promise(r => setTimeout(r, 4000)); console.log(i, mb()) }
await engine.stop()
