import { createEngine } from '../../../src/main/engine/engine.ts'
import { modelsDir } from '../../../src/main/paths.ts'
import { loadPlant } from '../plant.ts'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
const mode = process.argv[2]
const mb = () => `rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)}`
const dir = mkdtempSync(join(tmpdir(), 'vigil-h-'))
const plant = loadPlant({ pumps: 100, rateHz: 50 })
if (mode === 'nomodel') for (const a of plant.assets) a.models = []
const engine = await createEngine({ config: plant, dbPath: join(dir, 'x.db'), dbPathGiven: true, modelsDir: modelsDir(), shards: mode === 'one' ? 1 : undefined })
console.log(mode, 'engine', mb())
await new Promise(r => setTimeout(r, 15000))
console.log(mode, '15s', mb())
// biggest anon mappings
const sm = readFileSync('/proc/self/smaps', 'utf8').split('\n')
let cur = ''; const rows: [number, string][] = []
for (const l of sm) { if (/^[0-9a-f]+-/.test(l)) cur = l; else if (l.startsWith('Rss:')) rows.push([Number(l.split(/\s+/)[1]), cur]) }
const byName = new Map<string, number>()
for (const [kb, m] of rows) { const name = m.split(/\s+/)[5] ?? '[anon]'; byName.set(name || '[anon]', (byName.get(name || '[anon]') ?? 0) + kb) }
console.log([...byName].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([n, kb]) => `${n}:${(kb / 1024).toFixed(0)}MB`).join(' '))
await engine.stop()
