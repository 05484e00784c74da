import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { openAutoencoder } from '../models/autoencoder.ts'
import { datasetsDir } from '../models/fit/skab-benchmark.ts'
import { loadModel } from '../models/registry.ts'
import { slideWindows } from '../models/windows.ts'
import { modelsDir } from '../paths.ts'
import { generatePump, PUMP_TAGS } from '../sources/simulator/index.ts'
import { fit } from './fit.ts'
import { score } from './score.ts'

const skab = join(datasetsDir(), 'skab', 'valve2', '0.csv')
const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-score-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const csv = (p: string) =>
  readFileSync(p, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => l.split(','))

/** Runs a verb with console.log captured; returns what it printed. */
async function quiet(run: () => Promise<void>): Promise<string> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {})
  try {
    await run()
    return log.mock.calls.flat().join('\n')
  } finally {
    log.mockRestore()
  }
}

beforeAll(() => quiet(() => fit(['--input', skab, '--train-rows', '0:400', '--out', join(dir, 'valve2-0')])))

describe('vigil score', () => {
  it('writes time, score, threshold and is_anomaly per row and prints metrics against the card label', async () => {
    const out = join(dir, 'scores.csv')
    const printed = await quiet(() =>
      score(['--model', join(dir, 'valve2-0'), '--input', skab, '--out', out]),
    )
    const rows = csv(out)
    const source = csv(skab)
    expect(rows[0]).toEqual(['datetime', 'score', 'threshold', 'is_anomaly'])
    expect(rows).toHaveLength(source.length)
    expect(rows[1]![0]).toBe(source[1]![0]!.split(';')[0])
    expect(rows.slice(1).every((r) => r[2] === '1' && (r[3] === '0' || r[3] === '1'))).toBe(true)
    expect(rows.slice(1).every((r) => (Number(r[1]) > 1 ? '1' : '0') === r[3])).toBe(true)
    expect(printed).toMatch(/valve2-0 scored \d+ windows/)
    expect(printed).toMatch(
      /against "anomaly":\nTP \d+ {2}FP \d+ {2}FN \d+ {2}TN \d+\nF1 0\.\d{3} {2}FAR [\d.]+ % {2}MAR [\d.]+ %/,
    )
  })

  it('scores each --group as its own sequence with a windowed shipped model, by name, after --map', async () => {
    const runs = ['A', 'B'].map((_, k) =>
      generatePump({ seed: 50 + k, startMs: Date.UTC(2025, 0, 1), n: 60 }),
    )
    // Interleaved rows of two pumps; the file calls current "amps".
    const lines = ['time,pump,' + PUMP_TAGS.map((t) => (t === 'Motor_Current_A' ? 'amps' : t)).join(',')]
    for (let i = 0; i < 60; i++)
      runs.forEach((r, k) => lines.push([r.t[i], 'AB'[k], ...r.values.map((v) => v[i])].join(',')))
    const input = join(dir, 'pumps.csv')
    writeFileSync(input, lines.join('\n'))
    writeFileSync(join(dir, 'amps.json'), JSON.stringify({ amps: 'Motor_Current_A' }))
    const out = join(dir, 'pump-scores.csv')
    await quiet(() =>
      score([
        '--model',
        'pump-ae',
        '--input',
        input,
        '--out',
        out,
        '--map',
        join(dir, 'amps.json'),
        '--group',
        'pump',
      ]),
    )
    const rows = csv(out)
    expect(rows[0]).toEqual(['time', 'pump', 'score', 'threshold', 'is_anomaly'])
    expect(rows).toHaveLength(1 + 2 * (60 - 29))
    const ae = await openAutoencoder(loadModel(join(modelsDir(), 'pump-ae')))
    for (const [k, name] of ['A', 'B'].entries()) {
      const mine = rows.filter((r) => r[1] === name)
      const w = slideWindows(runs[k]!.values, 30)
      const { score: s } = await ae.score(w.data, w.n)
      expect(mine.map((r) => Number(r[0]))).toEqual(Array.from(w.ends, (e) => runs[k]!.t[e]))
      mine.forEach((r, i) => expect(Number(r[2])).toBeCloseTo(s[i]!, 5))
    }
    await ae.close()
  })

  it('names the models it knows when asked for one it does not', async () => {
    await expect(score(['--model', 'no-such', '--input', skab, '--out', join(dir, 'x.csv')])).rejects.toThrow(
      /no model "no-such": give a model folder, or one of .*"pump-ae"/,
    )
    await expect(score(['--model', join(dir, 'valve2-0'), '--input', skab])).rejects.toThrow(
      /--out is required/,
    )
  })
})
