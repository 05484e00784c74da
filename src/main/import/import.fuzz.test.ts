import Database from 'better-sqlite3'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { VigilError } from '../../shared/errors.ts'
import { BadRowReasons, type ImportMapping, type ImportReport } from '../../shared/import.ts'
import type { PlantConfig } from '../../shared/plant.ts'
import { checkWithin } from '../fuzz-budget.ts'
import { appRoot } from '../paths.ts'
import { openStore, type Store } from '../store/store.ts'
import { pumpAsset } from '../store/test-plant.ts'
import { anyFile, sensorLog, sensorLogMapping, type SensorLog } from './hostile-csv.ts'
import { createImportService, type ImportService } from './import-service.ts'
import { dumpTables, scratch } from './test-files.ts'

/*
 * The whole import path (detection, the parsing thread, the staged write, the commit) under
 * hostile files. Property: an import either commits exactly the good rows and reports every
 * bad one with its file, line and reason, or ends without a trace in the history (every table
 * as it was); it never throws anything but a VigilError naming the file, and never hangs.
 * Each property runs for a bounded time (checkWithin: the run the time limit cuts short is
 * waited for, so it cannot write into the next property's snapshots); a failing input is kept
 * in fuzz-regressions/csv-import.json, which the last test replays on every run.
 */

const REGRESSIONS = join(appRoot(), 'fuzz-regressions', 'csv-import.json')
/** Inputs per property however slowly they go (a few seconds each on a loaded 2-core machine)... */
const MIN_RUNS = 5
/** ...then more for this long, ms: the suite stays quick, and an idle machine tries some dozens. */
const BUDGET_MS = 12_000
/** Far past any honest import of these small files: past it, the import hung. */
const HANG_MS = 60_000

interface Regression {
  found: string
  mapping: 'sensor-log' | 'detected'
  onBadRow: 'skip' | 'abort'
  base64: string
  expect?: { state: ImportReport['state']; rows: number; rejected: number }
}

const pump = pumpAsset('P-101', ['Motor_RPM', 'Bearing_Temperature_C', 'Vibration_mm_s'])
const plant = { name: 'fuzz plant', assets: [pump] } as PlantConfig
const tmp = scratch('vigil-import-fuzz-')
const db = tmp.file('history.db')
let store: Store
let imports: ImportService
let n = 0

beforeAll(async () => {
  store = await openStore({ path: db, assets: plant.assets })
  imports = createImportService({ store, plant, dataDir: tmp.dir })
})
afterAll(async () => {
  await imports?.close()
  await store?.close()
  tmp.remove()
})

function inTime<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} hung for ${HANG_MS / 1000} s`)), HANG_MS)
  })
  return Promise.race([p, hang]).finally(() => clearTimeout(timer))
}

/**
 * Every table once the writer's only background work here, folding an earlier committed
 * import into the rollups, is over: it is over exactly when no sealed block is left unrolled
 * (each backfill step marks its blocks in the transaction that writes their rollups). Waiting
 * for that, rather than for two dumps that agree, holds however long the writer thread is
 * kept off the CPU; so two dumps compare only what an import did.
 */
async function quietDump(): Promise<string> {
  await store.flush()
  const conn = new Database(db, { readonly: true })
  try {
    const unrolled = conn
      .prepare('SELECT count(*) FROM time_blocks WHERE sealed = 1 AND rolled IS NULL')
      .pluck()
    const end = Date.now() + HANG_MS
    while ((unrolled.get() as number) > 0) {
      if (Date.now() > end)
        throw new Error(`the rollups of ${db} were still being backfilled after ${HANG_MS / 1000} s`)
      await new Promise((r) => setTimeout(r, 20))
    }
  } finally {
    conn.close()
  }
  return dumpTables(db)
}

/** Where two dumpTables texts differ, table by table, with some text either side: what an import left behind. */
function changedTables(before: string, after: string): string[] {
  const was = new Map(before.split('\n').map((l) => [l.slice(0, l.indexOf(':')), l]))
  return after
    .split('\n')
    .filter((l) => was.get(l.slice(0, l.indexOf(':'))) !== l)
    .map((l) => {
      const old = was.get(l.slice(0, l.indexOf(':'))) ?? ''
      let k = 0
      while (k < l.length && l[k] === old[k]) k++
      return `${l.slice(0, l.indexOf(':'))} at ${k}: was "${old.slice(k - 80, k + 120)}", now "${l.slice(k - 80, k + 120)}"`
    })
}

const everything = (assetId: string) => store.range({ assetId, from: -1e14, to: 1e15, maxPoints: 1_000_000 })

/**
 * Imports one file and checks what holds for any input: the outcome is one of done, aborted
 * or failed; a failure names the file; a bad row names file and line; an import that did not
 * finish left every table as it was; a finished one stored exactly `report.rows` samples, at
 * finite ascending times, each value finite or missing (NaN).
 */
async function importChecked(
  bytes: Uint8Array,
  mapping: ((assetId: string) => ImportMapping) | 'detected',
  onBadRow: 'skip' | 'abort',
): Promise<{ report: ImportReport | null; path: string; assetId: string }> {
  const assetId = `fuzz-${++n}`
  const path = tmp.file(`${assetId}.csv`, bytes)
  const before = await quietDump()
  let m: ImportMapping
  if (mapping === 'detected') {
    try {
      m = (await inTime(imports.preview({ path, assetId }), `preview of ${path}`)).mapping
    } catch (e) {
      expect(e, String(e)).toBeInstanceOf(VigilError)
      expect((e as Error).message).toContain(path)
      expect(changedTables(before, await quietDump()).join('\n')).toBe('')
      return { report: null, path, assetId }
    }
  } else m = mapping(assetId)
  const report = await inTime(imports.start({ path, mapping: m, onBadRow }).done, `import of ${path}`)
  expect(['done', 'aborted', 'failed'], report.message).toContain(report.state)
  const lines = Buffer.from(bytes)
    .toString('latin1')
    .split(/\r\n|\n|\r/).length
  for (const b of report.badRows) {
    expect(b.message.startsWith(`${path}:${b.line}: `), b.message).toBe(true)
    expect(BadRowReasons).toContain(b.reason)
    expect(b.line).toBeGreaterThanOrEqual(1)
    expect(b.line).toBeLessThanOrEqual(lines)
  }
  if (report.state !== 'done') {
    if (report.state === 'failed') expect(report.message).toContain(path)
    expect(changedTables(before, await quietDump()).join('\n'), report.message).toBe('')
    return { report, path, assetId }
  }
  const stored = await store.storedAsset(assetId)
  expect(stored?.samples ?? 0).toBe(report.rows)
  if (report.rows > 0) {
    const h = await everything(assetId)
    expect(h.raw).toBe(true)
    expect(h.t.length).toBe(report.rows)
    for (let i = 0; i < h.t.length; i++) {
      expect(Number.isFinite(h.t[i])).toBe(true)
      if (i > 0) expect(h.t[i]!).toBeGreaterThanOrEqual(h.t[i - 1]!)
    }
    for (const col of h.min)
      for (const v of col) if (!Number.isNaN(v)) expect(Number.isFinite(v), `value ${v}`).toBe(true)
  }
  return { report, path, assetId }
}

/** Runs a property on MIN_RUNS inputs, then for BUDGET_MS; a counterexample is kept as a regression before the test fails. */
async function fuzz<T>(
  arb: fc.Arbitrary<T>,
  keep: (x: T, error: string) => Regression,
  run: (x: T) => Promise<void>,
) {
  const result = await checkWithin(arb, run, { minRuns: MIN_RUNS, budgetMs: BUDGET_MS })
  if (!result.failed) {
    if (process.env.VIGIL_FUZZ_VERBOSE) console.info(`${result.numRuns} inputs`)
    expect(result.numRuns).toBeGreaterThanOrEqual(MIN_RUNS)
    return
  }
  const error = String((result.error as Error | undefined)?.message ?? result.error).split('\n')[0]!
  const kept: Regression[] = existsSync(REGRESSIONS) ? JSON.parse(readFileSync(REGRESSIONS, 'utf8')) : []
  kept.push(keep(result.input, error))
  writeFileSync(REGRESSIONS, `${JSON.stringify(kept, null, 2)}\n`)
  throw new Error(
    `${error}\n(seed ${result.seed}, path "${result.path}"; the input is kept in fuzz-regressions/csv-import.json)`,
  )
}

const base64 = (b: Uint8Array) => Buffer.from(b).toString('base64')

describe('CSV import of hostile files, end to end', () => {
  it('stores exactly the good rows of a damaged sensor log and reports each bad line with its reason', async () => {
    await fuzz(
      sensorLog,
      (log, error) => ({
        found: `import.fuzz.test.ts, damaged sensor log (skip): ${error}`,
        mapping: 'sensor-log',
        onBadRow: 'skip',
        base64: base64(log.bytes),
        expect: { state: 'done', rows: log.rows.length, rejected: log.bad.length },
      }),
      async (log: SensorLog) => {
        const { report, assetId } = await importChecked(log.bytes, sensorLogMapping, 'skip')
        expect(report!.state, report!.message).toBe('done')
        expect(report!.badRows.map((b) => b.line)).toEqual(log.bad.map((b) => b.line))
        log.bad.forEach((b, i) => {
          if (b.reason) expect(report!.badRows[i]!.reason, report!.badRows[i]!.message).toBe(b.reason)
        })
        expect(report!.rows).toBe(log.rows.length)
        expect(report!.rejected).toBe(log.bad.length)
        if (log.rows.length === 0) return
        const h = await everything(assetId)
        expect(Array.from(h.t)).toEqual(log.rows.map((r) => r.t))
        for (let k = 0; k < 3; k++) expect(Array.from(h.min[k]!)).toEqual(log.rows.map((r) => r.values[k]))
      },
    )
  }, 120_000)

  it('aborts a damaged sensor log at its first bad line and leaves the history as it was', async () => {
    await fuzz(
      sensorLog,
      (log, error) => ({
        found: `import.fuzz.test.ts, damaged sensor log (abort): ${error}`,
        mapping: 'sensor-log',
        onBadRow: 'abort',
        base64: base64(log.bytes),
        expect: log.bad.length
          ? { state: 'aborted', rows: 0, rejected: 1 }
          : { state: 'done', rows: log.rows.length, rejected: 0 },
      }),
      async (log: SensorLog) => {
        const { report } = await importChecked(log.bytes, sensorLogMapping, 'abort')
        if (log.bad.length === 0) {
          expect(report!.state, report!.message).toBe('done')
          expect(report!.rows).toBe(log.rows.length)
          return
        }
        expect(report!.state, report!.message).toBe('aborted')
        expect(report!.badRows[0]!.line).toBe(log.bad[0]!.line)
      },
    )
  }, 120_000)

  it('answers any bytes, in any encoding, with a layout it detects: good rows in, the rest named, or nothing', async () => {
    await fuzz(
      fc.tuple(anyFile, fc.constantFrom('skip' as const, 'abort' as const)),
      ([bytes, onBadRow], error) => ({
        found: `import.fuzz.test.ts, any bytes (${onBadRow}): ${error}`,
        mapping: 'detected',
        onBadRow,
        base64: base64(bytes),
      }),
      async ([bytes, onBadRow]) => {
        await importChecked(bytes, 'detected', onBadRow)
      },
    )
  }, 120_000)

  it('still handles every file that once broke it (fuzz-regressions/csv-import.json)', async () => {
    const kept: Regression[] = JSON.parse(readFileSync(REGRESSIONS, 'utf8'))
    for (const r of kept) {
      const bytes = new Uint8Array(Buffer.from(r.base64, 'base64'))
      const { report } = await importChecked(
        bytes,
        r.mapping === 'detected' ? 'detected' : sensorLogMapping,
        r.onBadRow,
      )
      if (r.expect)
        expect({ state: report?.state, rows: report?.rows, rejected: report?.rejected }, r.found).toEqual(
          r.expect,
        )
    }
  }, 120_000)
})
