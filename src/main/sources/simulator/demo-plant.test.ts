import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { PlantConfig } from '../../../shared/plant.ts'
import { Q } from '../../../shared/quality.ts'
import { createValidator, validateBatch } from '../../pipeline/validate.ts'
import { generateCasts, generateCompressor, generatePump } from './index.ts'

const plant = PlantConfig.parse(
  JSON.parse(readFileSync(new URL('../../../../resources/demo-plant.json', import.meta.url), 'utf8')),
)
const start = Date.UTC(2024, 6, 1, 6)

describe('the demo plant', () => {
  it('shows the pump first, then the compressor and the caster, each simulated', () => {
    expect(plant.assets.map((a) => [a.id, a.class, a.source.kind === 'simulator' && a.source.model])).toEqual(
      [
        ['P-101', 'pump', 'pump'],
        ['C-201', 'compressor', 'compressor'],
        ['CC-1', 'caster', 'caster'],
      ],
    )
  })

  it('keeps every simulated tag inside its range, rate and critical limits through six hours of normal running', () => {
    const n = 6 * 3600
    const runs = {
      'P-101': generatePump({ seed: 101, startMs: start, n }),
      'C-201': generateCompressor({ seed: 201, startMs: start, n }).batch,
      'CC-1': generateCasts({ seed: 301, startMs: start, n: 70 }).batch,
    }
    for (const asset of plant.assets) {
      const b = runs[asset.id as keyof typeof runs]
      const quality = asset.tags.map(() => new Uint8Array(b.t.length))
      validateBatch(createValidator(asset.tags), b.t, b.values, quality)
      asset.tags.forEach((tag, k) => {
        const flagged = quality[k]!.filter((q) => q !== Q.GOOD).length
        expect(flagged, `${asset.id} ${tag.id}: values flagged by validation`).toBe(0)
        const v = b.values[k]!
        if (tag.critical?.above !== undefined)
          expect(Math.max(...v), `${asset.id} ${tag.id} max`).toBeLessThan(tag.critical.above)
        if (tag.critical?.below !== undefined)
          expect(Math.min(...v), `${asset.id} ${tag.id} min`).toBeGreaterThan(tag.critical.below)
      })
    }
  })
})
