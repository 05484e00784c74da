import { describe, expect, it } from 'vitest'
import type { SampleBatch } from '../../shared/samples.ts'
import { loadPlantConfig } from '../engine/plant-config.ts'
import { demoPlantPath } from '../paths.ts'
import { generateCasts } from '../sources/simulator/caster-run.ts'
import { generateCompressor } from '../sources/simulator/compressor-run.ts'
import { generatePump } from '../sources/simulator/generate.ts'
import { alarmDefs } from './alarm-defs.ts'

/*
 * A control room ignores an alarm system that cries wolf: in normal running the pump and the
 * compressor never touch even a pre-alarm (H/L) with the default limits. The caster's normal
 * casts include real process upsets by design (mould level hunting that sometimes cracks a
 * slab), so there a pre-alarm may sound, in about as many casts as are upset (9% defective). Six simulated hours or 80 casts,
 * three seeds each.
 */
const plant = loadPlantConfig(demoPlantPath())
const START = Date.UTC(2026, 0, 15, 6)
const HOURS = 6

function runs(assetId: string, seed: number): SampleBatch {
  const n = HOURS * 3600
  if (assetId === 'P-101') return generatePump({ seed, startMs: START, n })
  if (assetId === 'C-201') return generateCompressor({ seed, startMs: START, n }).batch
  return generateCasts({ seed, n: 80, startMs: START }).batch
}

/** Indexes of the samples where a limit alarm's condition holds. */
function breaches(b: SampleBatch, assetId: string): { id: string; at: number; value: number }[] {
  const out: { id: string; at: number; value: number }[] = []
  for (const d of alarmDefs(plant).filter((x) => x.assetId === assetId && x.limit !== null)) {
    const col = b.values[d.tagIndex]!
    for (let i = 0; i < col.length; i++) {
      const x = col[i]!
      if (d.dir > 0 ? x >= d.limit! : x <= d.limit!) out.push({ id: d.id, at: i, value: x })
    }
  }
  return out
}

describe('the demo plant in normal running', () => {
  for (const assetId of ['P-101', 'C-201'])
    it(`${assetId} stays clear of every default limit alarm`, () => {
      for (const seed of [1, 2, 3]) {
        const first = breaches(runs(assetId, seed), assetId)[0]
        expect(
          first,
          first && `${first.id} reached ${first.value.toFixed(2)} with seed ${seed}`,
        ).toBeUndefined()
      }
    })

  it('CC-1 touches a pre-alarm in at most 10% of its casts, about its upset rate', () => {
    for (const seed of [1, 2, 3]) {
      const b = runs('CC-1', seed)
      const castOf = b.values[0]! // Cast_Number
      const casts = new Set(breaches(b, 'CC-1').map((x) => castOf[x.at]))
      expect(casts.size / 80, `seed ${seed}: casts ${[...casts].join(', ')}`).toBeLessThanOrEqual(0.1)
    }
  })
})
