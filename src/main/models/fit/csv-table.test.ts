import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readColumnMap, renameColumns } from './column-map.ts'
import { numericColumn, readCsvTable, timeColumn } from './csv-table.ts'

const dir = mkdtempSync(join(tmpdir(), 'vigil-csv-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const file = (name: string, text: string) => {
  const p = join(dir, name)
  writeFileSync(p, text)
  return p
}

describe('reading a data file into columns', () => {
  it('reads a SKAB-style file: semicolons, a header, a datetime column kept as text', async () => {
    const t = await readCsvTable(
      file(
        'skab.csv',
        '\uFEFFdatetime;Current;Volume Flow RateRMS;anomaly\n2020-03-09 10:14:33;1.33;32.0;0.0\n2020-03-09 10:14:34;1.35;;1.0\n',
      ),
    )
    expect(t.header).toEqual(['datetime', 'Current', 'Volume Flow RateRMS', 'anomaly'])
    expect(t.rows).toBe(2)
    expect(t.text[0]).toEqual(['2020-03-09 10:14:33', '2020-03-09 10:14:34'])
    expect(Array.from(numericColumn(t, 'Volume Flow RateRMS'))).toEqual([32, NaN])
    expect(timeColumn(t)).toBe(0)
  })

  it('reads a headerless whitespace file (TEP, C-MAPSS) with columns named col1, col2, ...', async () => {
    const t = await readCsvTable(
      file('tep.dat', '   2.4889000e-01   3.7023000e+03\n  2.5e-01 3.70e+03  \n\n  1 2\n'),
    )
    expect(t.header).toEqual(['col1', 'col2'])
    expect(Array.from(numericColumn(t, 'col2'))).toEqual([3702.3, 3700, 2])
    expect(timeColumn(t)).toBe(-1)
  })

  it('reads quoted fields and missing-value tokens, and finds a time column by its name before a text column', async () => {
    const t = await readCsvTable(file('q.csv', 'time,"name, long",value\n1,"a ""b"", c",NA\n2,d,3.5\n'))
    expect(t.text[1]).toEqual(['a "b", c', 'd'])
    expect(Array.from(numericColumn(t, 'value'))).toEqual([NaN, 3.5])
    expect(timeColumn(t)).toBe(0)
    expect(timeColumn(t, 0)).toBe(1)
  })

  it('names the file, line and column of a value that is not a number', async () => {
    const p = file('bad.csv', 'a,b\n1,2\n3,x7\n')
    await expect(readCsvTable(p)).rejects.toThrow(`${p}:3: column "b" is not a number: "x7"`)
    const q = file('short.csv', 'a,b\n1,2\n3\n')
    await expect(readCsvTable(q)).rejects.toThrow(`${q}:3: 1 fields, but the header has 2 columns`)
    await expect(readCsvTable(file('empty.csv', 'a,b\n'))).rejects.toThrow(/no data rows/)
    await expect(readCsvTable(join(dir, 'missing.csv'))).rejects.toThrow(/missing\.csv: cannot read it/)
    const t = await readCsvTable(file('ok.csv', 'a,b\n1,2\n'))
    expect(() => numericColumn(t, 'c')).toThrow(/no column "c" \(it has "a", "b"\)/)
  })

  it('renames columns with a plain mapping or an import mapping, and refuses one naming absent columns', async () => {
    const t = await readCsvTable(file('m.csv', 'Col A;Col B\n1;2\n'))
    renameColumns(t, readColumnMap(file('plain.json', '{"Col A": "Flow"}')), 'plain.json')
    expect(t.header).toEqual(['Flow', 'Col B'])
    const imp = file(
      'imp.json',
      JSON.stringify({ columns: [{ column: 1, source: 'Col B', tag: 'Head', unit: 'm' }] }),
    )
    renameColumns(t, readColumnMap(imp), imp)
    expect(t.header).toEqual(['Flow', 'Head'])
    expect(() => renameColumns(t, new Map([['Col Z', 'x']]), 'z.json')).toThrow(
      /z\.json: maps column "Col Z", which .* does not have/,
    )
    expect(() => readColumnMap(file('bad.json', '[1, 2]'))).toThrow(/bad\.json: expected \{"file column"/)
  })
})
