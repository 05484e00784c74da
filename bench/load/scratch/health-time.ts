import { createEngine } from '../../../src/main/engine/engine.ts'
import { modelsDir } from '../../../src/main/paths.ts'
import { loadPlant } from '../plant.ts'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
const dir = mkdtempSync(join(tmpdir(), 'vigil-h-'))
const engine = await createEngine({ config: loadPlant({ pumps: 100, rateHz: 10 }), dbPath: join(dir, 'x.db'), dbPathGiven: true, modelsDir: modelsDir() })
const loop = monitorEventLoopDelay({ resolution: 5 }); 
await new Promise(r => setTimeout(r, 3000))
loop.enable()
for (let i = 0; i < 6; i++) {
  const t = performance.now(); await engine.health(); const a = performance.now() - t
  await new Promise(r => setTimeout(r, 1000))
  console.log('health ms', a.toFixed(1), 'loop p99', (loop.percentile(99)/1e6).toFixed(1), 'max', (loop.max/1e6).toFixed(1))
  loop.reset()
}
await engine.stop()
