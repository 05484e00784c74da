import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AssetConfig } from '../../shared/plant.ts'
import type { SampleBatch } from '../../shared/samples.ts'

/** A small pump for the store's tests and measurements. */
export function pumpAsset(
  id = 'P-101',
  tags = ['Motor_RPM', 'Bearing_Temperature_C', 'Vibration_mm_s'],
): AssetConfig {
  return AssetConfig.parse({
    id,
    name: `Pump ${id}`,
    class: 'pump',
    tags: tags.map((t) => ({ id: t, unit: 'u', min: -1e6, max: 1e6 })),
    source: { kind: 'simulator', model: 'pump' },
    models: ['pump-ae'],
  })
}

/** A batch of n samples every `stepMs` from t0, each tag a value from f(tag index, sample index). */
export function batchOf(
  assetId: string,
  tags: number,
  t0: number,
  n: number,
  stepMs: number,
  f: (k: number, i: number) => number = (k, i) => 100 * k + Math.sin(i / 50),
  q?: (k: number, i: number) => number,
): SampleBatch {
  const t = Float64Array.from({ length: n }, (_, i) => t0 + i * stepMs)
  const values = Array.from({ length: tags }, (_, k) => Float64Array.from({ length: n }, (_, i) => f(k, i)))
  const quality = Array.from({ length: tags }, (_, k) =>
    Uint8Array.from({ length: n }, (_, i) => (q ? q(k, i) : 0)),
  )
  return { assetId, t, values, quality }
}

/** A copy whose buffers the store may take, keeping the original for comparisons. */
export function copyOf(b: SampleBatch): SampleBatch {
  return {
    assetId: b.assetId,
    t: b.t.slice(),
    values: b.values.map((v) => v.slice()),
    quality: b.quality?.map((q) => q.slice()),
  }
}

export function tempDir(): { dir: string; file: (name: string) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-store-'))
  return { dir, file: (name) => join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) }
}
