/*
 * skab-ae under SKAB's own protocol (waico/SKAB core/utils.py), scored with Vigil's autoencoder
 * scorer: every labelled file's first 400 rows may calibrate, the rows after are scored point-wise
 * by the window ending at each row, and TP/FP/FN/TN are pooled over files. Four decision rules,
 * the same as train.py's: the card's threshold on each window (what the app does live) or on the
 * mean of the last few windows' errors, and a per-file threshold at the 99th percentile of
 * the errors of the windows inside the file's first 400 rows.
 *   node models/skab-ae/skab-protocol.ts     prints the table for the README
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { calibrateThreshold } from '../../src/main/alarms/threshold-calibration.ts'
import { openAutoencoder } from '../../src/main/models/autoencoder.ts'
import {
  countDetections,
  emptyConfusion,
  formatFigures,
  type Confusion,
} from '../../src/main/models/fit/detection-metrics.ts'
import { numericColumn, readCsvTable } from '../../src/main/models/fit/csv-table.ts'
import { datasetsDir, SKAB_TRAIN_ROWS } from '../../src/main/models/fit/skab-benchmark.ts'
import { loadModel } from '../../src/main/models/registry.ts'
import { slideWindows } from '../../src/main/models/windows.ts'

export const FILE_FACTOR = 1 // train.py's FILE_FACTOR

/** The labelled files in train.py's order. */
export function skabFiles(root: string): string[] {
  return ['valve1', 'valve2', 'other'].flatMap((g) =>
    readdirSync(join(root, g))
      .filter((f) => f.endsWith('.csv'))
      .sort((a, b) => parseInt(a) - parseInt(b))
      .map((f) => `${g}/${f}`),
  )
}

/** Causal mean of each value with the k-1 before it (fewer at the start), as train.py's smooth. */
export function trailingMean(e: Float64Array, k: number): Float64Array {
  const out = new Float64Array(e.length)
  let sum = 0
  for (let i = 0; i < e.length; i++) {
    sum += e[i]!
    if (i >= k) sum -= e[i - k]!
    out[i] = sum / Math.min(i + 1, k)
  }
  return out
}

/** numpy's default (linear) percentile. */
export function percentile(v: ArrayLike<number>, q: number): number {
  const s = Float64Array.from(v).sort()
  const pos = (q / 100) * (s.length - 1)
  const lo = Math.floor(pos)
  return s[lo]! + (pos - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]!) - s[lo]!)
}

export type SkabRule = 'card' | 'cardSmoothed' | 'perFile' | 'perFileSmoothed'

export async function skabProtocol(
  modelDir = fileURLToPath(new URL('./', import.meta.url)),
  smooth = 5,
  root = join(datasetsDir(), 'skab'),
): Promise<Record<SkabRule, Confusion>> {
  const ae = await openAutoencoder(loadModel(modelDir))
  const W = ae.window
  const calib = SKAB_TRAIN_ROWS - W + 1 // windows ending inside the first 400 rows
  const pooled = {
    card: emptyConfusion(),
    cardSmoothed: emptyConfusion(),
    perFile: emptyConfusion(),
    perFileSmoothed: emptyConfusion(),
  }
  try {
    for (const file of skabFiles(root)) {
      const table = await readCsvTable(join(root, file))
      const w = slideWindows(
        ae.tags.map((t) => numericColumn(table, t)),
        W,
      )
      const { score } = await ae.score(w.data, w.n)
      const label = numericColumn(table, 'anomaly').subarray(SKAB_TRAIN_ROWS)
      const smoothed = trailingMean(score, smooth)
      // The per-window rule calibrates as the app's models.calibrateThreshold does, so these
      // figures are the app's: the 99th percentile of the file's normal-running windows.
      const calibrated = calibrateThreshold({
        assetId: file,
        modelId: ae.card.id,
        from: 0,
        to: SKAB_TRAIN_ROWS,
        detector: true,
        scores: score.subarray(0, calib),
        cardThreshold: ae.threshold,
        current: ae.threshold,
      }).proposed.threshold
      const rules: [SkabRule, Float64Array, number][] = [
        ['card', score, ae.threshold],
        ['cardSmoothed', smoothed, ae.threshold],
        ['perFile', score, FILE_FACTOR * calibrated],
        ['perFileSmoothed', smoothed, FILE_FACTOR * percentile(smoothed.subarray(0, calib), 99)],
      ]
      for (const [rule, s, thr] of rules)
        countDetections(
          pooled[rule],
          s.subarray(calib).map((v) => (v > thr ? 1 : 0)),
          label,
        )
    }
  } finally {
    await ae.close()
  }
  return pooled
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  for (const [rule, c] of Object.entries(await skabProtocol())) console.log(`${rule}\n${formatFigures(c)}`)
