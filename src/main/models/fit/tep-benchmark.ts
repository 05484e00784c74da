import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadModel } from '../registry.ts'
import { readCsvTable, type CsvTable } from './csv-table.ts'
import { fitPca, type PcaOptions } from './pca-fit.ts'
import { openPca } from './pca-scorer.ts'
import { writeFittedModel } from './fitted-model.ts'
import { datasetsDir } from './skab-benchmark.ts'

/*
 * Tennessee Eastman, with the protocol of Yin et al. 2012 (J. Process Control 22:1567):
 * fit on the normal run d00.dat with XMEAS(1-22) and XMV(1-11); in each dNN_te.dat the fault
 * starts after row 160, so the detection rate is the share of rows 161-960 flagged and the
 * false-alarm rate the share of rows 1-160 flagged (and of the normal test run d00_te.dat,
 * which is the paper's FAR). Run through the served path: ONNX file, card, onnxruntime.
 */

export const TEP_FAULTS = ['01', '03', '04', '05', '06', '07', '08', '10', '11', '13', '14'] as const
export const TEP_ONSET = 160
/** Yin et al. 2012 Table 4, PCA column (9 components): detection rate, %. FAR on d00_te: 6.13 %. */
export const YIN_PCA: Record<(typeof TEP_FAULTS)[number], number> = {
  '01': 99.88,
  '03': 12.88,
  '04': 100,
  '05': 33.63,
  '06': 100,
  '07': 100,
  '08': 98,
  '10': 60.5,
  '11': 78.88,
  '13': 95.38,
  '14': 100,
}
export const YIN_PCA_FAR = 6.13

/** The 33 variables the paper uses: column indices into a 52-column TEP row, and their names. */
export const TEP_COLUMNS = [
  ...Array.from({ length: 22 }, (_, i) => i),
  ...Array.from({ length: 11 }, (_, i) => 41 + i),
]
export const TEP_TAGS = TEP_COLUMNS.map((c) => (c < 41 ? `XMEAS(${c + 1})` : `XMV(${c - 40})`))

export interface TepResult {
  components: number
  /** % of faulty rows flagged, per fault. */
  detection: Record<string, number>
  /** % of pre-onset rows flagged over all fault files. */
  preOnsetFar: number
  /** % of d00_te.dat rows flagged. */
  normalFar: number
}

function rowsOf(t: CsvTable, transposed: boolean): Float64Array[] {
  // d00.dat is stored one variable per line; every other file one sample per line.
  if (transposed) return TEP_COLUMNS.map((c) => Float64Array.from(t.numbers, (col) => col![c]!))
  return TEP_COLUMNS.map((c) => t.numbers[c]!)
}

export async function tepBenchmark(
  opts: PcaOptions = {},
  root = join(datasetsDir(), 'tep'),
): Promise<TepResult> {
  const train = rowsOf(await readCsvTable(join(root, 'd00.dat')), true)
  const m = fitPca(train, TEP_TAGS, opts)
  const work = mkdtempSync(join(tmpdir(), 'vigil-tep-'))
  try {
    writeFittedModel(join(work, 'tep-pca'), m, {
      data: 'Tennessee Eastman d00.dat (normal operation, 500 rows)',
    })
    const det = await openPca(loadModel(join(work, 'tep-pca')))
    const F = TEP_TAGS.length
    const flagged = async (file: string) => {
      const cols = rowsOf(await readCsvTable(join(root, file)), false)
      const n = cols[0]!.length
      const x = new Float64Array(n * F)
      for (let i = 0; i < n; i++) for (let j = 0; j < F; j++) x[i * F + j] = cols[j]![i]!
      const { score } = await det.score(x, n)
      return Uint8Array.from(score, (s) => (s > det.threshold ? 1 : 0))
    }
    const share = (a: Uint8Array, from: number, to: number) =>
      (100 * a.subarray(from, to).reduce((s, v) => s + v, 0)) / (to - from)
    const detection: Record<string, number> = {}
    let pre = 0
    for (const f of TEP_FAULTS) {
      const a = await flagged(`d${f}_te.dat`)
      detection[f] = share(a, TEP_ONSET, a.length)
      pre += share(a, 0, TEP_ONSET) / TEP_FAULTS.length
    }
    const normal = await flagged('d00_te.dat')
    await det.close()
    return {
      components: m.components,
      detection,
      preOnsetFar: pre,
      normalFar: share(normal, 0, normal.length),
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

// `node src/main/models/fit/tep-benchmark.ts [components]` prints the table for the README.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const components = process.argv[2] ? Number(process.argv[2]) : undefined
  const r = await tepBenchmark({ components })
  console.log(`TEP, fit on d00.dat, ${r.components} components`)
  console.log('| fault | Vigil PCA | Yin et al. PCA |\n|---|---|---|')
  for (const f of TEP_FAULTS)
    console.log(`| IDV(${Number(f)}) | ${r.detection[f]!.toFixed(2)} | ${YIN_PCA[f]} |`)
  console.log(`| FAR d00_te | ${r.normalFar.toFixed(2)} | ${YIN_PCA_FAR} |`)
  console.log(`| FAR before onset | ${r.preOnsetFar.toFixed(2)} | – |`)
}
