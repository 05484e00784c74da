import { readFileSync, statSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PlantConfig } from '../../shared/plant.ts'
import { openStore, type Store } from '../store/store.ts'
import { createImportService, type ImportService } from './import-service.ts'
import { SPLIT_MIN_BYTES, splitPoint } from './split-parse.ts'
import { isoSpace, scratch, sensorCsv } from './test-files.ts'

const T0 = Date.UTC(2024, 0, 1)
/** ~11 MB at 10 tags: past SPLIT_MIN_BYTES, so the job parses it on two threads. */
const ROWS = 120_000
const TAGS = 10
const tmp = scratch('vigil-split-')
let store: Store
let imports: ImportService

beforeAll(async () => {
  store = await openStore({ path: tmp.file('history.db'), assets: [] })
  imports = createImportService({ store, plant: { name: 'p', assets: [] } as PlantConfig, dataDir: tmp.dir })
})
afterAll(async () => {
  await imports.close()
  await store.close()
  tmp.remove()
})

async function importFile(path: string, assetId: string, onBadRow: 'skip' | 'abort' = 'skip') {
  const preview = await imports.preview({ path, assetId })
  return imports.start({ path, mapping: preview.mapping, onBadRow }).done
}

/** The file's lines (line n of the file is lines[n - 1]) with some replaced, written to `name`. */
function fileWith(name: string, edit: (lines: string[]) => void): { path: string; lines: string[] } {
  const lines = sensorCsv(ROWS, TAGS, T0).trimEnd().split('\n')
  edit(lines)
  const path = tmp.file(name, `${lines.join('\n')}\n`)
  expect(statSync(path).size).toBeGreaterThan(SPLIT_MIN_BYTES)
  return { path, lines }
}

/** File line of the first row of the second range. */
function cutLine(path: string, header: string): number {
  const cut = splitPoint(path, header.length + 1, statSync(path).size)!
  return readFileSync(path).subarray(0, cut).toString('latin1').split('\n').length
}

async function stored(assetId: string) {
  return store.range({ assetId, from: 0, to: 4e12, maxPoints: 1_000_000 })
}

describe('a big file parsed on two threads', () => {
  it('keeps and rejects exactly the rows one pass does, and names each bad one by its file line', async () => {
    const bad = { number: 10, columns: 90_000, backwards: 110_000 }
    const { path, lines } = fileWith('damaged.csv', (l) => {
      l[bad.number - 1] = l[bad.number - 1]!.replace(/,[^,]*$/, ',abc')
      l[bad.columns - 1] += ',9'
      // Ten seconds before the row above it: the same width, so the cut stays where it was.
      l[bad.backwards - 1] = l[bad.backwards - 1]!.replace(
        /^[^,]*/,
        isoSpace(T0 + (bad.backwards - 3) * 1000 - 10_000),
      )
    })
    const r = await importFile(path, 'split-a')
    expect(r.state).toBe('done')
    expect(r.parser).toBe('fast, 2 threads')
    expect(cutLine(path, lines[0]!)).toBeLessThan(bad.columns)
    expect(r.badRows.map((b) => [b.line, b.reason])).toEqual([
      [bad.number, 'number'],
      [bad.columns, 'columns'],
      [bad.backwards, 'backwards'],
    ])
    for (const b of r.badRows) expect(b.message.startsWith(`${path}:${b.line}: `)).toBe(true)
    expect(r.badRows[1]!.message).toBe(`${path}:${bad.columns}: has 12 fields; the file's rows have 11`)
    const kept = lines.slice(1).filter((_, i) => !Object.values(bad).includes(i + 2))
    expect(r.rows).toBe(kept.length)
    expect(r.from).toBe(T0)
    expect(r.to).toBe(T0 + (ROWS - 1) * 1000)
    const h = await stored('split-a')
    expect(Array.from(h.t)).toEqual(kept.map((l) => Date.parse(`${l.slice(0, 19).replace(' ', 'T')}Z`)))
    for (const k of [0, TAGS - 1])
      expect(Array.from(h.min[k]!)).toEqual(kept.map((l) => Number(l.split(',')[k + 1])))
  }, 60_000)

  it('aborts at the first bad row of either half, named by its file line, and stores nothing', async () => {
    for (const line of [70_000, 200]) {
      const { path } = fileWith(`abort-${line}.csv`, (l) => {
        l[line - 1] = l[line - 1]!.replace(/,[^,]*$/, ',x1')
        // A later bad row one pass would never reach.
        l[line + 1_000] = l[line + 1_000]!.replace(/,[^,]*$/, ',x2')
      })
      const r = await importFile(path, `abort-${line}`, 'abort')
      expect(r.state).toBe('aborted')
      expect(r.badRows.map((b) => b.line)).toEqual([line])
      expect(r.message).toBe(`aborted at a bad row: ${path}:${line}: column "s9": "x1" is not a number`)
      expect(await store.storedAsset(`abort-${line}`)).toBeNull()
    }
  }, 60_000)

  it('reads the file again in one pass when a time goes back across the cut, and rejects that row', async () => {
    let at = 0
    const { path } = fileWith('back-at-cut.csv', (l) => {
      const p = tmp.file('probe.csv', `${l.join('\n')}\n`)
      at = cutLine(p, l[0]!)
      l[at - 1] = l[at - 1]!.replace(/^[^,]*/, isoSpace(T0 + (at - 3) * 1000 - 60_000))
    })
    const r = await importFile(path, 'split-b')
    expect(r.state).toBe('done')
    expect(r.parser).toBe('fast')
    expect(r.badRows.map((b) => [b.line, b.reason])).toEqual([[at, 'backwards']])
    expect(r.rows).toBe(ROWS - 1)
    expect((await stored('split-b')).t.length).toBe(ROWS - 1)
  }, 60_000)

  it('reads the file again in one pass when the second half holds a quoted field', async () => {
    const quoted = 100_000
    const { path } = fileWith('quoted.csv', (l) => {
      l[quoted - 1] = l[quoted - 1]!.replace(/,([^,]*)$/, ',"$1"')
    })
    const r = await importFile(path, 'split-c')
    expect(r.state).toBe('done')
    expect(r.parser).toBe(`fast, then library from line ${quoted} (quoted fields)`)
    expect(r.rows).toBe(ROWS)
    expect(r.rejected).toBe(0)
  }, 60_000)
})
