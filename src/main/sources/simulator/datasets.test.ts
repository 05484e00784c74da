import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { writeCastDataset, writeCompressorDataset } from './datasets.ts'

const dir = mkdtempSync(join(tmpdir(), 'vigil-datasets-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const csv = (file: string) =>
  readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => l.split(','))

describe('offline datasets', () => {
  it('writes one labelled row per cast and the samples they point into', () => {
    const [castsFile, samplesFile] = writeCastDataset(join(dir, 'casts'), { seed: 3, n: 40 })
    const [head, ...casts] = csv(castsFile!)
    const [sHead, ...samples] = csv(samplesFile!)
    expect(head!.slice(-3)).toEqual(['crack', 'breakout_risk', 'defect'])
    expect(casts).toHaveLength(40)
    expect(sHead!.slice(0, 2)).toEqual(['time', 'Cast_Number'])
    const col = (name: string) => head!.indexOf(name)
    for (const c of casts) {
      const first = Number(c[col('first_row')])
      const rows = Number(c[col('rows')])
      expect(samples[first]![1]).toBe(c[col('cast')])
      expect(samples[first + rows - 1]![1]).toBe(c[col('cast')])
      expect(c[col('defect')]).toBe(String(+(c[col('crack')] === '1' || c[col('breakout_risk')] === '1')))
    }
    const last = casts.at(-1)!
    expect(samples).toHaveLength(Number(last[col('first_row')]) + Number(last[col('rows')]))
  })

  it('writes a compressor fouling past its wash limit with the truth and a RUL label that counts down', () => {
    const [file] = writeCompressorDataset(join(dir, 'comp'), {
      seed: 4,
      n: 600,
      rateHz: 1 / 3600,
      fouling0: 0.8,
    })
    const [head, ...rows] = csv(file!)
    expect(head!.slice(-4)).toEqual(['true_fouling', 'true_health', 'true_surge_margin', 'rul_s'])
    const rul = rows.map((r) => r.at(-1)!)
    expect(Number(rul[0])).toBeGreaterThan(0)
    expect(Number(rul[0]) - Number(rul[1])).toBeCloseTo(3600, 3)
    expect(rul.at(-1)).toBe('0') // past the wash limit health stays 0, RUL 0
  })
})
