import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { score } from '../../src/main/cli/score.ts'
import { numericColumn, readCsvTable } from '../../src/main/models/fit/csv-table.ts'
import { datasetsDir } from '../../src/main/models/fit/skab-benchmark.ts'
import { openPredictor, type Predictor } from '../../src/main/models/predictor.ts'
import { loadModel } from '../../src/main/models/registry.ts'
import { CMAPSS_COLUMNS, cmapssToCsv, LABEL } from './cmapss-csv.ts'

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
const tmp = mkdtempSync(join(tmpdir(), 'vigil-cmapss-'))
let rul: Predictor
beforeAll(async () => {
  rul = await openPredictor(loadModel(dir))
})
afterAll(async () => {
  await rul.close()
  rmSync(tmp, { recursive: true, force: true })
})

/** The last `window` cycles of every test engine, row-major [engine][cycle][tag]; a short engine repeats its first cycle in front. */
async function lastWindows(file: string, tags: string[], window: number) {
  const t = await readCsvTable(file)
  const unit = numericColumn(t, 'col1')
  const cols = tags.map((tag) => numericColumn(t, `col${CMAPSS_COLUMNS[tag]}`))
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

  it('is reproduced by `vigil score` on the converted test file (the README command)', async () => {
    const csv = join(tmp, 'test_FD001.csv')
    const rulPath = join(root, 'RUL_FD001.txt')
    const text = readFileSync(join(root, 'test_FD001.txt'), 'utf8')
    writeFileSync(csv, cmapssToCsv(text, 'test_FD001.txt', readFileSync(rulPath, 'utf8'), rulPath))
    const out = join(tmp, 'scored.csv')
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    let printed: string
    try {
      await score(['--model', dir, '--input', csv, '--out', out, '--group', 'unit'])
      printed = log.mock.calls.flat().join('\n')
    } finally {
      log.mockRestore()
    }
    // One row per window: every engine's cycles less the window's first cycles but one; an engine shorter
    // than the window is padded to one window.
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n')
    expect(lines[0]).toBe('row,unit,rul,rul_std')
    const cycles = new Map<string, number>()
    for (const l of text.trim().split('\n')) {
      const unit = l.split(' ')[0]!
      cycles.set(unit, (cycles.get(unit) ?? 0) + 1)
    }
    const expected = [...cycles.values()].reduce((a, n) => a + Math.max(1, n - rul.window + 1), 0)
    expect(lines.length - 1).toBe(expected)
    const last = /each group's last window: n (\d+) {2}RMSE ([\d.]+) {2}PHM08 score ([\d.]+)/.exec(printed)
    expect(last, printed).not.toBeNull()
    const claim = (rul.card.metrics as { test: { rmse: number; phm08Score: number } }).test
    expect(Number(last![1])).toBe(100)
    expect(Math.abs(Number(last![2]) - claim.rmse)).toBeLessThan(0.01)
    expect(Math.abs(Number(last![3]) - claim.phm08Score) / claim.phm08Score).toBeLessThan(0.005)
  })

  it('converts C-MAPSS rows with the life left at each row, and names the line it cannot read', () => {
    const rows = ['1 1', '1 2', '2 1'].map(
      (uc) => `${uc} ${Array.from({ length: 24 }, (_, j) => j).join(' ')}  `,
    )
    const out = cmapssToCsv(rows.join('\n'), 'x.txt', '7\n3\n').trimEnd().split('\n')
    expect(out[0]!.split(',').slice(-1)[0]).toBe(LABEL)
    expect(out.slice(1).map((l) => Number(l.split(',').slice(-1)[0]))).toEqual([8, 7, 3])
    // T24 is file column 7, the fifth number after unit and cycle: 4.
    expect(out[1]!.split(',')[2]).toBe('4')
    expect(() => cmapssToCsv(`${rows[0]}\n1 2 3`, 'x.txt')).toThrow('x.txt:2: expected 26 numbers')
    expect(() => cmapssToCsv(`${rows[0]}\n${rows[2]!.replace('2 1', '1 3')}`, 'x.txt')).toThrow(
      'x.txt:2: unit 1 cycle 3, expected 2',
    )
    expect(() => cmapssToCsv(rows.join('\n'), 'x.txt', '7\n', 'RUL.txt')).toThrow(
      'RUL.txt: 1 lines for 2 engines',
    )
  })
})
