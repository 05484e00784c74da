import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { writeKindModel } from '../models/kind-graphs.fixture.ts'
import { rocAuc, rulFigures } from '../models/prediction-metrics.ts'
import { score } from './score.ts'

const dir = mkdtempSync(join(tmpdir(), 'vigil-score-kinds-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const TAGS = ['a', 'b', 'c']
const csv = (p: string) =>
  readFileSync(p, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => l.split(','))

async function quiet(run: () => Promise<void>): Promise<string> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {})
  try {
    await run()
    return log.mock.calls.flat().join('\n')
  } finally {
    log.mockRestore()
  }
}

beforeAll(() => {
  for (const kind of ['classifier', 'rul', 'defect', 'policy'] as const)
    writeKindModel(dir, kind, { tags: TAGS, window: 4, by: 'cast', actions: ['a'] })
})

describe('vigil score for every model kind', () => {
  it('writes rul and rul_std per window of each unit and prints RMSE and the PHM08 score against RUL', async () => {
    // Unit 1: 6 cycles at 2 (life 100 by the graph); unit 2: 2 cycles at 8 (life 25), padded to the window.
    const lines = ['unit,cycle,a,b,c,RUL']
    for (let k = 1; k <= 6; k++) lines.push(`1,${k},2,2,2,${110 - k}`)
    for (let k = 1; k <= 2; k++) lines.push(`2,${k},8,8,8,20`)
    writeFileSync(join(dir, 'engines.csv'), lines.join('\n'))
    const out = join(dir, 'rul.csv')
    const printed = await quiet(() =>
      score([
        '--model',
        join(dir, 'test-rul'),
        '--input',
        join(dir, 'engines.csv'),
        '--out',
        out,
        '--group',
        'unit',
      ]),
    )
    const rows = csv(out)
    expect(rows[0]).toEqual(['row', 'unit', 'rul', 'rul_std'])
    expect(rows.slice(1).map((r) => [r[1], Number(r[2]), Number(r[3])])).toEqual([
      ['1', 100, 2],
      ['1', 100, 2],
      ['1', 100, 2],
      ['2', 25, 8],
    ])
    expect(printed).toMatch(/1 group\(s\) shorter than the 4-row window were padded/)
    // Windows end at cycles 4, 5, 6 of unit 1 (truths 106, 105, 104) and at unit 2's last (20).
    const all = rulFigures([100, 100, 100, 25], [106, 105, 104, 20])
    expect(printed).toContain(
      `every window: n 4  RMSE ${all.rmse.toFixed(2)}  PHM08 score ${all.score.toFixed(1)}`,
    )
    const last = rulFigures([100, 25], [104, 20])
    expect(printed).toContain(`each group's last window: n 2  RMSE ${last.rmse.toFixed(2)}`)
  })

  it('scores each cast (the card sequence.by by default) resampled in time, with members, confidence and ROC-AUC', async () => {
    const lines = ['time,cast,a,b,c,defect']
    const casts = [
      { id: 11, v: 2, defect: 0, n: 7 },
      { id: 12, v: 9, defect: 1, n: 13 },
      { id: 13, v: 3, defect: 0, n: 5 },
    ]
    let t = Date.UTC(2025, 0, 1)
    for (const c of casts)
      for (let k = 0; k < c.n; k++, t += 1000)
        lines.push(`${new Date(t).toISOString()},${c.id},${c.v},${c.v},${c.v},${c.defect}`)
    writeFileSync(join(dir, 'casts.csv'), lines.join('\n'))
    const out = join(dir, 'defect.csv')
    const printed = await quiet(() =>
      score(['--model', join(dir, 'test-defect'), '--input', join(dir, 'casts.csv'), '--out', out]),
    )
    const rows = csv(out)
    expect(rows[0]).toEqual([
      'time',
      'cast',
      'probability',
      'probability_xgb',
      'probability_lstm',
      'confidence',
      'is_defect',
    ])
    expect(rows.slice(1).map((r) => [r[1], r[6]])).toEqual([
      ['11', '0'],
      ['12', '1'],
      ['13', '0'],
    ])
    const p = rows.slice(1).map((r) => Number(r[2]))
    expect(p[1]).toBeGreaterThan(0.9)
    expect(printed).toMatch(/test-defect scored 3 units of 25 rows/)
    expect(printed).toMatch(/against "defect" per unit: ROC-AUC 1\.000/)
    expect(printed).toMatch(/TP 1 {2}FP 0 {2}FN 0 {2}TN 2/)
  })

  it('scores a classifier as a detector: score, threshold, is_anomaly', async () => {
    const lines = ['a,b,c']
    for (let k = 0; k < 8; k++) lines.push(k < 4 ? '1,1,1' : '9,9,9')
    writeFileSync(join(dir, 'plain.csv'), lines.join('\n'))
    const out = join(dir, 'cls.csv')
    await quiet(() =>
      score(['--model', join(dir, 'test-classifier'), '--input', join(dir, 'plain.csv'), '--out', out]),
    )
    const rows = csv(out)
    expect(rows[0]).toEqual(['row', 'score', 'threshold', 'is_anomaly'])
    expect(rows.slice(1).map((r) => r[3])).toEqual(['0', '0', '0', '1', '1'])
  })

  it('writes a policy advice per row', async () => {
    const out = join(dir, 'policy.csv')
    await quiet(() =>
      score(['--model', join(dir, 'test-policy'), '--input', join(dir, 'plain.csv'), '--out', out]),
    )
    const rows = csv(out)
    expect(rows[0]).toEqual(['row', 'a_advice'])
    // tanh(2 * 0.1 - 1) and tanh(2 * 0.9 - 1) on 0..100.
    expect(Number(rows[1]![1])).toBeCloseTo(50 * (1 + Math.tanh(-0.8)), 3)
    expect(Number(rows[8]![1])).toBeCloseTo(50 * (1 + Math.tanh(0.8)), 3)
  })

  it('names the missing group column of a defect card', async () => {
    await expect(
      score([
        '--model',
        join(dir, 'test-defect'),
        '--input',
        join(dir, 'plain.csv'),
        '--out',
        join(dir, 'x.csv'),
      ]),
    ).rejects.toThrow(/test-defect sequence\.by: .*plain\.csv has no column "cast"/)
  })
})

describe('prediction metrics', () => {
  it('scores late RUL predictions harder than early ones (PHM08)', () => {
    const late = rulFigures([110], [100])
    const early = rulFigures([90], [100])
    expect(late.score).toBeCloseTo(Math.exp(1) - 1, 12)
    expect(early.score).toBeCloseTo(Math.exp(10 / 13) - 1, 12)
    expect(late.rmse).toBe(10)
    expect(rulFigures([NaN, 5], [1, 5])).toMatchObject({ n: 1, rmse: 0, skipped: 1 })
  })

  it('computes ROC-AUC with ties counted half', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75)
    expect(rocAuc([0.5, 0.5], [0, 1])).toBe(0.5)
    expect(rocAuc([0.2, 0.3], [1, 1])).toBeNaN()
  })
})
