import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { VigilError } from '../../shared/errors.ts'
import type { ImportMapping } from '../../shared/import.ts'
import { loadPlantConfig } from '../engine/plant-config.ts'
import { ImportJob } from '../import/import-job.ts'
import { MappingStore, readMappingFile } from '../import/mapping-store.ts'
import { previewFile } from '../import/preview.ts'
import { demoPlantPath } from '../paths.ts'
import { openStore } from '../store/store.ts'
import { parseTime } from './export.ts'
import { defaultDbPath } from './user-data.ts'

export const importUsage = `vigil import FILE --asset ID [--map mapping.json] [--db FILE] [options]

  Imports a CSV file into an asset's history: detects the delimiter, header, decimal comma and
  time column, maps columns to the asset's tags by name (a new asset gets a tag per numeric
  column), and commits all rows at once: an abort or a failure leaves the history as it was.
  Prints rows imported, rows rejected and the report's path; exits 1 when the import aborts.
  --asset ID        the asset to import into (configured, imported before, or new)
  --map FILE        a mapping (JSON, as the import wizard saves it); default: the one saved for
                    files of this shape, else the detected one
  --db FILE         history database (default: ${defaultDbPath()}); stop Vigil first, or import from its UI
  --config FILE     the plant configuration (default: the demo plant)
  --abort           stop at the first bad row (default: skip bad rows and report them)
  --dates dmy|mdy   day-first or month-first, for dates that read both ways
  --utc-offset MIN  minutes east of UTC of times written without a zone (default 0: UTC)
  --start T         for a file without a time column: time of the first row (ISO 8601 or epoch ms)
  --period-ms N     for a file without a time column: ms between rows (default 1000)
  --reports DIR     where reports go (default: import-reports beside the database)`

export async function importCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      asset: { type: 'string' },
      map: { type: 'string' },
      db: { type: 'string' },
      config: { type: 'string' },
      abort: { type: 'boolean' },
      dates: { type: 'string' },
      'utc-offset': { type: 'string' },
      start: { type: 'string' },
      'period-ms': { type: 'string' },
      reports: { type: 'string' },
    },
    strict: true,
  })
  const file = positionals[0]
  if (!file || positionals.length > 1) throw new VigilError('bad-request', 'give exactly one FILE to import')
  if (!values.asset) throw new VigilError('bad-request', '--asset is required')
  if (values.dates !== undefined && values.dates !== 'dmy' && values.dates !== 'mdy')
    throw new VigilError(
      'bad-request',
      `--dates: "${values.dates}" must be dmy (day-first) or mdy (month-first)`,
    )
  const plant = loadPlantConfig(values.config ?? demoPlantPath())
  const dbPath = values.db ?? defaultDbPath()
  const mappings = new MappingStore(join(dirname(dbPath), 'import-mappings'))
  const store = await openStore({ path: dbPath, assets: plant.assets })
  const job = { current: null as ImportJob | null }
  const onSignal = () => void job.current?.cancel()
  process.once('SIGINT', onSignal)
  try {
    const given = values.map ? { ...readMappingFile(values.map), assetId: values.asset } : undefined
    const preview = await previewFile({
      path: file,
      assetId: values.asset,
      mapping: given,
      order: values.dates as 'dmy' | 'mdy' | undefined,
      mappings,
      lookup: async (id) => {
        const a = plant.assets.find((x) => x.id === id)
        if (a) return a
        const s = await store.storedAsset(id)
        return s ? { name: s.name, class: 'other', tags: s.tags } : null
      },
    })
    const amb = preview.ambiguousOrder
    if (amb && !values.dates && preview.mappingFrom === 'detected')
      throw new VigilError(
        'bad-request',
        `${file}: dates like "${amb.example}" read both day-first and month-first: pass --dates dmy or --dates mdy`,
      )
    const mapping = withTimeFlags(preview.mapping, values)
    const timed = values.start !== undefined || values['period-ms'] !== undefined
    for (const n of preview.notes) if (!(timed && n.startsWith('no time column'))) console.error(`note: ${n}`)
    const configured = plant.assets.find((a) => a.id === mapping.assetId) ?? null
    const reportsDir = values.reports ?? join(dirname(dbPath), 'import-reports')
    job.current = new ImportJob({
      file,
      mapping,
      onBadRow: values.abort ? 'abort' : 'skip',
      store,
      configured,
      reportsDir,
      mappings,
    })
    const ticker = process.stderr.isTTY ? setInterval(() => showProgress(job.current!), 1000) : null
    const report = await job.current.done.finally(() => {
      if (!ticker) return
      clearInterval(ticker)
      process.stderr.write('\n')
    })
    const p = job.current.progress()
    console.log(`rows imported: ${report.rows}`)
    console.log(`rows rejected: ${report.rejected}`)
    console.log(`report: ${p.reportPath ?? '(not written)'}`)
    if (report.state !== 'done') {
      console.error(`vigil import: ${report.state}: ${report.message}`)
      process.exitCode = 1
    }
  } finally {
    process.off('SIGINT', onSignal)
    await store.close()
  }
}

function withTimeFlags(m: ImportMapping, v: Record<string, string | boolean | undefined>): ImportMapping {
  const offset = v['utc-offset'] === undefined ? undefined : Number(v['utc-offset'])
  if (offset !== undefined && !(Number.isInteger(offset) && Math.abs(offset) <= 840))
    throw new VigilError(
      'bad-request',
      `--utc-offset: "${v['utc-offset']}" must be whole minutes from -840 to 840`,
    )
  const t = m.time
  if ((t.kind === 'datetime' || t.kind === 'date+time') && offset !== undefined)
    return { ...m, time: { ...t, utcOffsetMin: offset } }
  if (t.kind === 'none' && (v.start !== undefined || v['period-ms'] !== undefined)) {
    const start = parseTime('--start', v.start as string | undefined) ?? t.start
    const period = v['period-ms'] === undefined ? t.periodMs : Number(v['period-ms'])
    if (!(period > 0))
      throw new VigilError('bad-request', `--period-ms: "${v['period-ms']}" must be a positive number`)
    return { ...m, time: { kind: 'none', start, periodMs: period } }
  }
  return m
}

function showProgress(job: ImportJob): void {
  const p = job.progress()
  const pct = p.bytesTotal ? ((100 * p.bytesRead) / p.bytesTotal).toFixed(0) : '?'
  const eta = p.etaS === null ? '' : `, ${p.etaS.toFixed(0)} s left`
  process.stderr.write(
    `\r${pct}%: ${p.rows} rows, ${Math.round(p.rowsPerS)} rows/s, ${p.rejected} rejected${eta}   `,
  )
}
