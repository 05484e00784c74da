import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { appRoot } from '../../paths.ts'
import { loadModel } from '../registry.ts'
import { numericColumn, readCsvTable } from './csv-table.ts'
import { countDetections, detectionFigures, emptyConfusion, type Confusion } from './detection-metrics.ts'
import { fitPca, type PcaOptions } from './pca-fit.ts'
import { openPca } from './pca-scorer.ts'
import { writeFittedModel } from './fitted-model.ts'

/*
 * The SKAB benchmark's own protocol (waico/SKAB core/utils.py), run through the path a
 * user's fit takes: for each labelled file, fit on its first 400 rows, write the ONNX model
 * and card, load it through the registry, score the remaining rows with onnxruntime, and
 * pool TP/FP/FN/TN over files. Published for comparison (34 files; 6 are held out here):
 * T²+Q (PCA) F1 0.76, FAR 26.62 %, MAR 24.92 %; Conv-AE 0.78 / 13.55 / 28.02.
 */

export const SKAB_TAGS = [
  'Accelerometer1RMS',
  'Accelerometer2RMS',
  'Current',
  'Pressure',
  'Temperature',
  'Thermocouple',
  'Voltage',
  'Volume Flow RateRMS',
]
export const SKAB_TRAIN_ROWS = 400

export const datasetsDir = () => process.env.VIGIL_DATASETS ?? join(appRoot(), '..', 'shared', 'datasets')

export interface SkabResult {
  pooled: Confusion
  files: { file: string; confusion: Confusion; components: number }[]
}

export async function skabBenchmark(
  opts: PcaOptions = {},
  root = join(datasetsDir(), 'skab'),
): Promise<SkabResult> {
  const files = ['valve1', 'valve2', 'other'].flatMap((g) =>
    readdirSync(join(root, g))
      .filter((f) => f.endsWith('.csv'))
      .sort((a, b) => parseInt(a) - parseInt(b))
      .map((f) => join(g, f)),
  )
  const work = mkdtempSync(join(tmpdir(), 'vigil-skab-'))
  const pooled = emptyConfusion()
  const out: SkabResult['files'] = []
  try {
    for (const file of files) {
      const table = await readCsvTable(join(root, file))
      const cols = SKAB_TAGS.map((t) => numericColumn(table, t))
      const m = fitPca(
        cols.map((c) => c.subarray(0, SKAB_TRAIN_ROWS)),
        SKAB_TAGS,
        opts,
      )
      const dir = join(work, file.replace(/[/.]/g, '-'))
      writeFittedModel(dir, m, { data: `SKAB ${file}, rows 0:${SKAB_TRAIN_ROWS}`, label: 'anomaly' })
      const det = await openPca(loadModel(dir))
      const n = table.rows - SKAB_TRAIN_ROWS
      const F = SKAB_TAGS.length
      const x = new Float64Array(n * F)
      for (let i = 0; i < n; i++) for (let j = 0; j < F; j++) x[i * F + j] = cols[j]![SKAB_TRAIN_ROWS + i]!
      const { score } = await det.score(x, n)
      await det.close()
      const alarm = score.map((s) => (s > det.threshold ? 1 : 0))
      const c = countDetections(
        emptyConfusion(),
        alarm,
        numericColumn(table, 'anomaly').subarray(SKAB_TRAIN_ROWS),
      )
      for (const k of ['tp', 'fp', 'fn', 'tn'] as const) pooled[k] += c[k]
      out.push({ file, confusion: c, components: m.components })
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
  return { pooled, files: out }
}

// `node src/main/models/fit/skab-benchmark.ts [variance]` prints the table for the README.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const variance = process.argv[2] ? Number(process.argv[2]) : undefined
  const r = await skabBenchmark({ variance })
  const f = detectionFigures(r.pooled)
  console.log(
    `SKAB, ${r.files.length} files, fit on each file's first ${SKAB_TRAIN_ROWS} rows, variance ${variance ?? 0.9}`,
  )
  console.log(`pooled: F1 ${f.f1.toFixed(3)}  FAR ${f.far.toFixed(2)} %  MAR ${f.mar.toFixed(2)} %`, r.pooled)
}
