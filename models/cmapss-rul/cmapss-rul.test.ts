import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { numericColumn, readCsvTable } from '../../src/main/models/fit/csv-table.ts'
import { datasetsDir } from '../../src/main/models/fit/skab-benchmark.ts'
import { openPredictor, type Predictor } from '../../src/main/models/predictor.ts'
import { loadModel } from '../../src/main/models/registry.ts'

/*
 * The shipped cmapss-rul file through the registry and Vigil's predictor (onnxruntime-node):
 * it reproduces torch's golden outputs, and on the real test_FD001 (last 30 cycles of each of
 * the 100 engines against RUL_FD001) it gives the RMSE and PHM08 score its card claims.
 */

const dir = new URL('./', import.meta.url).pathname
const root = join(datasetsDir(), 'cmapss')
const golden = JSON.parse(readFileSync(new URL('golden.json', import.meta.url), 'utf8')) as {
  raw: number[][][]
  rul: number[]
  rul_std: number[]
}
let rul: Predictor
beforeAll(async () => {
  rul = await openPredictor(loadModel(dir))
})
afterAll(() => rul.close())

/** 1-based C-MAPSS file columns of the card's tags, in its order (SOURCE.md). */
const COLUMN: Record<string, number> = {
  T24: 7,
  T30: 8,
  T50: 9,
  P30: 12,
  Nf: 13,
  Nc: 14,
  Ps30: 16,
  phi: 17,
  NRf: 18,
  NRc: 19,
  BPR: 20,
  htBleed: 22,
  W31: 25,
  W32: 26,
}

/** The last `window` cycles of every test engine, row-major [engine][cycle][tag]; a short engine repeats its first cycle in front. */
async function lastWindows(file: string, tags: string[], window: number) {
  const t = await readCsvTable(file)
  const unit = numericColumn(t, 'col1')
  const cols = tags.map((tag) => numericColumn(t, `col${COLUMN[tag]}`))
  const ends: number[] = []
  for (let i = 0; i < t.rows; i++) if (i === t.rows - 1 || unit[i + 1] !== unit[i]) ends.push(i)
  const out = new Float64Array(ends.length * window * tags.length)
  let start = 0
  ends.forEach((end, e) => {
    for (let s = 0; s < window; s++) {
      const row = Math.max(start, end - window + 1 + s)
      for (let j = 0; j < tags.length; j++) out[(e * window + s) * tags.length + j] = cols[j]![row]!
    }
    start = end + 1
  })
  return { x: out, n: ends.length }
}

describe('cmapss-rul', () => {
  it('reproduces the golden life and spread through onnxruntime and the card scaler', async () => {
    const n = golden.raw.length
    const out = await rul.predict(Float64Array.from(golden.raw.flat(2)), n)
    for (let k = 0; k < n; k++) {
      expect(Math.abs(out.value[k]! - golden.rul[k]!)).toBeLessThan(1e-4 * Math.abs(golden.rul[k]!) + 1e-3)
      expect(Math.abs(out.spread![k]! - golden.rul_std[k]!)).toBeLessThan(1e-4 * golden.rul_std[k]! + 1e-3)
    }
  })

  it('gives the test RMSE and PHM08 score its card claims on the real test_FD001', async () => {
    const { x, n } = await lastWindows(join(root, 'test_FD001.txt'), rul.tags, rul.window)
    const truth = readFileSync(join(root, 'RUL_FD001.txt'), 'utf8').trim().split('\n').map(Number)
    expect(n).toBe(truth.length)
    const { value, spread } = await rul.predict(x, n)
    let se = 0
    let score = 0
    for (let i = 0; i < n; i++) {
      const d = value[i]! - truth[i]!
      se += d * d
      score += d < 0 ? Math.exp(-d / 13) - 1 : Math.exp(d / 10) - 1
      expect(spread![i]).toBeGreaterThanOrEqual(0)
    }
    const rmse = Math.sqrt(se / n)
    const claim = (rul.card.metrics as { test: { rmse: number; phm08Score: number } }).test
    console.log(
      `cmapss-rul test_FD001: RMSE ${rmse.toFixed(3)} cycles, PHM08 ${score.toFixed(1)} (card ${claim.rmse} / ${claim.phm08Score})`,
    )
    expect(Math.abs(rmse - claim.rmse)).toBeLessThan(0.01)
    expect(Math.abs(score - claim.phm08Score) / claim.phm08Score).toBeLessThan(0.005)
    // Engines truly near the end are predicted nearer it than engines far from it.
    const near = truth.flatMap((t, i) => (t < 30 ? [value[i]!] : []))
    const far = truth.flatMap((t, i) => (t > 100 ? [value[i]!] : []))
    expect(near.reduce((a, b) => a + b) / near.length).toBeLessThan(
      far.reduce((a, b) => a + b) / far.length - 50,
    )
  })
})
