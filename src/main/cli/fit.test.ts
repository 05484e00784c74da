import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { loadModel } from '../models/registry.ts'
import { datasetsDir, SKAB_TAGS } from '../models/fit/skab-benchmark.ts'
import { fit, parseRows } from './fit.ts'

const skab = join(datasetsDir(), 'skab', 'valve1', '1.csv')
const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-fit-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const vigil = new URL('./vigil.ts', import.meta.url).pathname

describe('vigil fit', () => {
  it('fits the number columns of a SKAB file, leaving out its time, label and changepoint columns', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    await fit(['--input', skab, '--train-rows', '0:400', '--out', join(dir, 'Valve1 File1')])
    const printed = log.mock.calls.flat().join('\n')
    log.mockRestore()
    const m = loadModel(join(dir, 'Valve1 File1'))
    expect(m.card).toMatchObject({
      id: 'valve1-file1',
      kind: 'pca',
      label: 'anomaly',
      inputs: { tags: SKAB_TAGS },
    })
    expect(m.card.training).toMatchObject({ rows: 400, file: skab, rowRange: '0:400' })
    expect(printed).toMatch(/fitted "valve1-file1" on 400 rows of 8 tags/)
  })

  it('fits the tags asked for, after renaming columns with --map, under the id given', async () => {
    const map = join(dir, 'map.json')
    writeFileSync(map, JSON.stringify({ Current: 'Motor_Current_A', Pressure: 'Discharge_Pressure_bar' }))
    vi.spyOn(console, 'log').mockImplementation(() => {})
    await fit([
      '--input',
      skab,
      '--train-rows',
      '100:',
      '--tags',
      'Motor_Current_A,Discharge_Pressure_bar,Voltage',
      '--map',
      map,
      '--out',
      join(dir, 'three'),
      '--id',
      'p-7',
      '--components',
      '2',
    ])
    vi.restoreAllMocks()
    const m = loadModel(join(dir, 'three'))
    expect(m.card).toMatchObject({
      id: 'p-7',
      inputs: { tags: ['Motor_Current_A', 'Discharge_Pressure_bar', 'Voltage'] },
      pca: { components: 2 },
    })
    expect(m.card.training).toMatchObject({ rowRange: '100:1145' })
  })

  it('fits an autoencoder with --method ae, and refuses a PCA option beside it', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    await fit([
      '--input',
      skab,
      '--train-rows',
      '0:400',
      '--method',
      'ae',
      '--window',
      '3',
      '--out',
      join(dir, 'ae'),
    ])
    const printed = log.mock.calls.flat().join('\n')
    log.mockRestore()
    const m = loadModel(join(dir, 'ae'))
    expect(m.card).toMatchObject({
      id: 'ae',
      kind: 'autoencoder',
      label: 'anomaly',
      inputs: { name: 'window', tags: SKAB_TAGS, window: 3 },
      outputs: { name: 'reconstruction' },
    })
    expect(m.card.training).toMatchObject({ rows: 400, method: 'autoencoder', rowRange: '0:400' })
    expect(printed).toMatch(/on 400 rows of 8 tags .*: autoencoder 8-16-\d+-16-8, stopped at epoch \d+/)
    await expect(
      fit([
        '--input',
        skab,
        '--train-rows',
        '0:400',
        '--method',
        'ae',
        '--components',
        '2',
        '--out',
        join(dir, 'x'),
      ]),
    ).rejects.toThrow('--components does not apply to --method ae')
    await expect(
      fit(['--input', skab, '--train-rows', '0:400', '--method', 'lstm', '--out', join(dir, 'x')]),
    ).rejects.toThrow('--method: "lstm" is not one of pca, ae')
  })

  it('reads A:B as Python does and refuses a range outside the file', () => {
    expect(parseRows('0:400', 1000)).toEqual([0, 400])
    expect(parseRows(':10', 1000)).toEqual([0, 10])
    expect(parseRows('990:', 1000)).toEqual([990, 1000])
    expect(() => parseRows('5-9', 1000)).toThrow(/"5-9" is not A:B/)
    expect(() => parseRows('0:2000', 1000)).toThrow(/0:2000 is not a range of rows within 0:1000/)
  })

  it('runs as `vigil fit` and exits 1 with one line naming what is wrong', async () => {
    const run = promisify(execFile)
    const ok = await run(process.execPath, [
      vigil,
      'fit',
      '--input',
      skab,
      '--train-rows',
      '0:400',
      '--out',
      join(dir, 'cli'),
    ])
    expect(ok.stdout).toMatch(/wrote .*cli\/model\.onnx/)
    const bad = await run(process.execPath, [
      vigil,
      'fit',
      '--input',
      skab,
      '--train-rows',
      '0:400',
      '--tags',
      'Current,Nope',
      '--out',
      join(dir, 'x'),
    ]).catch((e) => e)
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/^vigil fit: --tags: .*1\.csv has no column "Nope" \(it has "datetime", /)
    expect(readFileSync(join(dir, 'cli', 'model.json'), 'utf8')).toMatch('"kind": "pca"')
  })
})
