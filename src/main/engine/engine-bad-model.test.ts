import { cpSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Health } from '../../shared/contract.ts'
import { modelsDir } from '../paths.ts'
import { createEngine, type RunningEngine } from './engine.ts'

const dir = mkdtempSync(join(tmpdir(), 'vigil-badmodel-'))
let engine: RunningEngine | undefined
afterAll(async () => {
  await engine?.stop()
})

describe('engine with a damaged model folder', () => {
  it('reports the damaged model by name and keeps streaming and storing the plant', async () => {
    const models = join(dir, 'models')
    cpSync(modelsDir(), models, { recursive: true })
    writeFileSync(join(models, 'pump-ae', 'model.onnx'), 'not an onnx file')
    engine = await createEngine({ dbPath: join(dir, 'bad.db'), modelsDir: models, simSpeed: 100 })
    let samples = 0
    engine.subscribe((m) => {
      if (m.topic === 'samples') samples += m.batch.t.length
    })
    const end = Date.now() + 20_000
    while (samples < 200 && Date.now() < end) await new Promise((r) => setTimeout(r, 50))
    expect(samples).toBeGreaterThanOrEqual(200)
    const r = await engine.dispatch('system.health', {})
    const h = (r.ok ? r.value : null) as Health
    // The other shipped models still load; the damaged one does not.
    expect(h.models.map((m) => m.id)).not.toContain('pump-ae')
    expect(h.modelErrors.map((e) => e.message).join('\n')).toMatch(/pump-ae.*(sha256|hash)/i)
    expect(h.samplesStored).toBeGreaterThanOrEqual(200)
  })
})
