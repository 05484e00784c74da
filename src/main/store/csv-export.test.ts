import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { SampleBatch } from '../../shared/samples.ts'
import { storeFileFixture } from './store-fixture.ts'
import { batchOf, copyOf, pumpAsset } from './test-plant.ts'

const asset = pumpAsset()
const T0 = Date.UTC(2025, 0, 1)
const fx = storeFileFixture([asset])
const open = () => fx.open()

const vigil = (...args: string[]) =>
  spawnSync(process.execPath, ['src/main/cli/vigil.ts', ...args], { encoding: 'utf8', cwd: process.cwd() })
/**
 * For a test that starts `vigil` several times: one start is about a second of CPU, but with
 * the suite running beside it on 2 cores it measured 14 s of wall time, past the default 60 s
 * for four of them.
 */
const CLI_TEST_MS = 240_000

/** Rows of a CSV as [epoch ms, ...values], an empty field as NaN. */
function parse(text: string): { header: string[]; rows: number[][] } {
  const [head, ...lines] = text.trimEnd().split('\n')
  return {
    header: head!.split(','),
    rows: lines.map((l) => {
      const [t, ...v] = l.split(',')
      return [Date.parse(t!), ...v.map((x) => (x === '' ? NaN : Number(x)))]
    }),
  }
}

/** The written samples in [from, to) as rows, oldest first. */
function rowsOf(batches: SampleBatch[], from: number, to: number, cols: number[]): number[][] {
  const rows: number[][] = []
  for (const b of batches)
    b.t.forEach((t, i) => {
      if (t >= from && t < to) rows.push([t, ...cols.map((k) => b.values[k]![i]!)])
    })
  return rows.sort((a, b) => a[0]! - b[0]!)
}

describe('CSV export', () => {
  it('writes every sample of the range with the same time and value, merging an import written beside live data', async () => {
    const s = await open()
    // Awkward values: long fractions, tiny and huge magnitudes, negatives, NaN gaps; irregular times.
    const f = (k: number, i: number) =>
      i % 97 === 5 ? NaN : (k - 1) * (Math.PI * 1e3 ** k) * Math.sin(i / 7) + (i % 11) / 3
    const live = batchOf(asset.id, 3, T0 + 5_000_000, 9000, 1000, f)
    const older = batchOf(asset.id, 3, T0 + 0.25, 6000, 1001.5, f)
    s.writeSamples(copyOf(live))
    s.writeSamples(copyOf(older))
    await s.flush()
    await s.close()

    const out = fx.tmp.file('p101.csv')
    const from = T0 + 1_000_000
    const to = T0 + 11_000_000
    const r = vigil(
      'export',
      '--asset',
      asset.id,
      '--tags',
      'Vibration_mm_s,Motor_RPM',
      '--from',
      new Date(from).toISOString(),
      '--to',
      String(to),
      '--out',
      out,
      '--db',
      fx.path,
    )
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    const csv = parse(readFileSync(out, 'utf8'))
    expect(csv.header).toEqual(['time', 'Vibration_mm_s', 'Motor_RPM'])
    const want = rowsOf([live, older], from, to, [2, 0])
    expect(csv.rows.length).toBe(want.length)
    // toEqual treats NaN as equal to NaN, and compares doubles exactly.
    expect(csv.rows).toEqual(want.map(([t, ...v]) => [Math.floor(t!), ...v]))
  })

  it(
    'gives back the same times and values for a file imported with vigil import',
    () => {
      const src = fx.tmp.file('pump.csv')
      const lines = ['time,Flow,Pressure,Temp']
      for (let i = 0; i < 5000; i++) {
        const t = new Date(T0 + i * 1000 + (i % 3) * 250).toISOString()
        const flow = i % 50 === 7 ? '' : ((i * 37) % 1000) / 8 - 60.125
        lines.push(`${t},${flow},${(Math.sin(i / 10) * 1e5).toFixed(4)},${20 + (i % 17) / 1000}`)
      }
      writeFileSync(src, `${lines.join('\n')}\n`)
      const imported = vigil('import', src, '--asset', 'PUMP-CSV', '--db', fx.path, '--reports', fx.tmp.dir)
      expect(imported.status, imported.stderr).toBe(0)
      const out = fx.tmp.file('back.csv')
      const exported = vigil(
        'export',
        '--asset',
        'PUMP-CSV',
        '--tags',
        'Flow,Pressure,Temp',
        '--out',
        out,
        '--db',
        fx.path,
      )
      expect(exported.status, exported.stderr).toBe(0)
      const back = parse(readFileSync(out, 'utf8'))
      expect(back.header).toEqual(['time', 'Flow', 'Pressure', 'Temp'])
      expect(back.rows).toEqual(parse(readFileSync(src, 'utf8')).rows)
    },
    CLI_TEST_MS,
  )

  it('streams a long range in bounded chunks and refuses the UI a range over its row limit', async () => {
    const s = await open()
    const b = batchOf(asset.id, 3, T0, 60_000, 1000)
    s.writeSamples(copyOf(b))
    await s.flush()
    const chunks: number[] = []
    const r = await s.exportCsv({ assetId: asset.id }, (c) => chunks.push(c.length))
    expect(r.rows).toBe(60_000)
    expect(chunks.length).toBeGreaterThan(2)
    expect(Math.max(...chunks)).toBeLessThan(1.1 * 2 ** 20)
    const text = await s.exportText({ assetId: asset.id, from: T0, to: T0 + 10_000 })
    expect(text.rows).toBe(10)
    expect(text.filename).toBe('P-101_2025-01-01T00-00-00-000Z_2025-01-01T00-00-10-000Z.csv')
    expect(parse(text.csv).rows).toEqual(rowsOf([b], T0, T0 + 10_000, [0, 1, 2]))
    await expect(s.exportText({ assetId: asset.id }, 1000)).rejects.toThrow(
      /more than 1000 rows.*vigil export/,
    )
  })

  it(
    'names the missing asset, tag, flag or file, and leaves no partial file behind',
    async () => {
      const s = await open()
      s.writeSamples(batchOf(asset.id, 3, T0, 10, 1000))
      await s.close()
      const out = fx.tmp.file('x.csv')
      const noTag = vigil('export', '--asset', asset.id, '--tags', 'Nope', '--out', out, '--db', fx.path)
      expect(noTag.status).toBe(1)
      expect(noTag.stderr).toMatch(/asset "P-101" has no tag "Nope"/)
      expect(() => readFileSync(`${out}.partial`)).toThrow()
      expect(vigil('export', '--asset', 'P-9', '--out', out, '--db', fx.path).stderr).toMatch(
        /no asset "P-9"/,
      )
      expect(
        vigil('export', '--asset', asset.id, '--from', 'yesterday', '--out', out, '--db', fx.path).stderr,
      ).toMatch(/--from: "yesterday" is not a time/)
      expect(
        vigil('export', '--asset', asset.id, '--out', out, '--db', fx.tmp.file('none.db')).stderr,
      ).toMatch(/none\.db: no history database/)
    },
    CLI_TEST_MS,
  )
})
