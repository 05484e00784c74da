import { execFile } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { appRoot } from '../paths.ts'
import { NAB, scratch, sensorCsv } from '../import/test-files.ts'

const tmp = scratch('vigil-cli-import-')
afterAll(() => tmp.remove())
const db = tmp.file('history.db')

/** Runs `vigil import ...` as a person would, in its own process; returns what it printed and its exit code. */
async function vigil(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  try {
    const r = await promisify(execFile)(
      process.execPath,
      [join(appRoot(), 'src/main/cli/vigil.ts'), 'import', ...args],
      {
        cwd: appRoot(),
      },
    )
    return { out: r.stdout, err: r.stderr, code: 0 }
  } catch (e) {
    const x = e as { stdout: string; stderr: string; code: number }
    return { out: x.stdout, err: x.stderr, code: x.code }
  }
}

describe('vigil import', () => {
  it('prints rows imported, rows rejected and the report path, and exits 0', async () => {
    const r = await vigil(NAB, '--asset', 'nab', '--db', db)
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^rows imported: 22684\nrows rejected: 11\nreport: (.+\.csv)\n$/)
    const report = r.out.match(/report: (.+)\n/)![1]!
    expect(existsSync(report)).toBe(true)
    expect(readFileSync(report, 'utf8')).toContain('10151,backwards')
  })

  it('exits non-zero when --abort meets a bad row, and imports nothing', async () => {
    const f = tmp.file(
      'bad.csv',
      sensorCsv(40, 2, Date.UTC(2024, 0, 1)).replace(/\n(2024[^\n]*)\n/, '\n$1,9\n'),
    )
    const r = await vigil(f, '--asset', 'gen', '--db', db, '--abort')
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/rows imported: 0\nrows rejected: 1\n/)
    expect(r.err).toMatch(/aborted at a bad row: .*bad\.csv:2: has 4 fields/)
  })

  it('asks for --dates when dates read both day-first and month-first, and imports once told', async () => {
    const f = tmp.file('amb.csv', 'when,v\n03/04/2024 10:00,1\n03/04/2024 10:01,2\n')
    const r = await vigil(f, '--asset', 'amb', '--db', db)
    expect(r.code).toBe(1)
    expect(r.err).toMatch(
      /dates like "03\/04\/2024 10:00" read both day-first and month-first: pass --dates dmy or --dates mdy/,
    )
    const ok = await vigil(f, '--asset', 'amb', '--db', db, '--dates', 'mdy')
    expect(ok.code).toBe(0)
    expect(ok.out).toMatch(/rows imported: 2/)
  })

  it('follows a mapping file given with --map', async () => {
    const f = tmp.file('mapped.csv', sensorCsv(10, 2, Date.UTC(2024, 0, 1)))
    const map = tmp.file(
      'map.json',
      JSON.stringify({
        version: 1,
        shape: '0000000000000000',
        assetId: 'ignored',
        format: { encoding: 'utf-8', delimiter: ',', decimal: '.', headerRows: 1 },
        time: { kind: 'datetime', column: 0, order: 'ymd' },
        columns: [{ column: 2, source: 's1', tag: 'pressure', unit: 'bar', min: 0, max: 10 }],
      }),
    )
    const r = await vigil(f, '--asset', 'mapped', '--db', db, '--map', map)
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/rows imported: 10/)
    const report = JSON.parse(readFileSync(r.out.match(/report: (.+)\.csv\n/)![1]! + '.json', 'utf8'))
    expect(report.asset.tags).toEqual([{ id: 'pressure', unit: 'bar', min: 0, max: 10 }])
  })

  it('names the field of a broken mapping file', async () => {
    const f = tmp.file('m2.csv', sensorCsv(3, 1, Date.UTC(2024, 0, 1)))
    const map = tmp.file('broken.json')
    writeFileSync(
      map,
      JSON.stringify({ version: 1, shape: 'x', assetId: 'a', format: {}, time: {}, columns: [] }),
    )
    const r = await vigil(f, '--asset', 'm2', '--db', db, '--map', map)
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/broken\.json: format\.encoding/)
  })
})
