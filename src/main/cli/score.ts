import { closeSync, existsSync, openSync, writeSync } from 'node:fs'
import { basename, join } from 'node:path'
import { parseArgs } from 'node:util'
import { VigilError } from '../../shared/errors.ts'
import type { Autoencoder } from '../models/autoencoder.ts'
import { readColumnMap, renameColumns } from '../models/fit/column-map.ts'
import { numericColumn, readCsvTable, timeColumn } from '../models/fit/csv-table.ts'
import { countDetections, emptyConfusion, formatFigures } from '../models/fit/detection-metrics.ts'
import { isDetector, openDetector } from '../models/fit/open-detector.ts'
import { loadModel, loadModels, userModelsDir, type LoadedModel } from '../models/registry.ts'
import { slideWindows } from '../models/windows.ts'
import { modelsDir } from '../paths.ts'
import { cell, field, groupRows, num } from './csv-cells.ts'
import { scorePredictor } from './score-predictor.ts'

export const scoreUsage = `vigil score --model NAME_OR_DIR --input FILE.csv --out FILE.csv [--map mapping.json] [--group COLUMN]

  Scores a CSV with a model of any kind. Writes the input's time column (or row number), the
  group when given, then by kind:
    detectors (autoencoder, pca, classifier)  score, threshold, is_anomaly (0/1) per window
    rul     rul (and rul_std when the model gives a spread) per window
    defect  one row per unit (group): probability, probability_<member>..., confidence, is_defect
    policy  <action tag>_advice per row: the setpoints the policy advises
  --model NAME_OR_DIR  a model id (under models/, or fitted under ${userModelsDir()}) or a model folder
  --input FILE.csv     columns named as the model's inputs; , ; tab or spaces between fields
  --out FILE.csv       where the scores go
  --map mapping.json   renames columns first: {"file column": "model input", ...} or an import mapping
  --group COLUMN       scores each value of COLUMN as its own sequence and keeps the column
                       (defect models: default the card's sequence.by, e.g. Cast_Number)
  When the file has the label column the card names, prints TP/FP/FN/TN, F1, FAR and MAR
  (detectors), RMSE and the PHM08 score over every window and over each group's last one
  (rul), ROC-AUC and F1 over the units (defect).`

/** A model folder, or a model id among the shipped and the user's fitted models. */
export function resolveModel(arg: string): LoadedModel {
  if (existsSync(join(arg, 'model.json'))) return loadModel(arg)
  const { models, errors } = loadModels(modelsDir(), userModelsDir())
  const found = models.find((m) => m.card.id === arg)
  if (found) return found
  const broken = errors.find((e) => basename(e.folder) === arg)
  if (broken) throw new VigilError('model.invalid', broken.message)
  throw new VigilError(
    'not-found',
    `no model "${arg}": give a model folder, or one of ${models.map((m) => `"${m.card.id}"`).join(', ') || '(none loaded)'}`,
  )
}

/** Windows scored per inference call: large enough to amortise the call, small enough to stay in cache. */
const BATCH_VALUES = 1 << 18

export async function score(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' },
      input: { type: 'string' },
      out: { type: 'string' },
      map: { type: 'string' },
      group: { type: 'string' },
    },
    strict: true,
  })
  for (const k of ['model', 'input', 'out'] as const)
    if (!values[k]) throw new VigilError('bad-request', `--${k} is required`)
  const model = resolveModel(values.model!)
  const table = await readCsvTable(values.input!)
  if (values.map) renameColumns(table, readColumnMap(values.map), values.map)
  if (!isDetector(model))
    return scorePredictor(model, table, { input: values.input!, out: values.out!, group: values.group })
  const card = model.card
  const cols = card.inputs.tags.map((tag) => numericColumn(table, tag))
  const g = values.group === undefined ? -1 : table.header.indexOf(values.group)
  if (values.group !== undefined && g < 0)
    throw new VigilError('bad-request', `--group: ${table.path} has no column "${values.group}"`)
  const tCol = timeColumn(table, g)
  const label = card.label && table.header.includes(card.label) ? numericColumn(table, card.label) : null

  // Rows of each group in file order; without --group the whole file is one sequence.
  const groups = groupRows(table, g)

  const det: Autoencoder = await openDetector(model)
  const fd = openSync(values.out!, 'w')
  const confusion = emptyConfusion()
  let windows = 0
  let alarms = 0
  try {
    const head = [
      tCol >= 0 ? table.header[tCol]! : 'row',
      ...(g >= 0 ? [table.header[g]!] : []),
      'score',
      'threshold',
      'is_anomaly',
    ]
    writeSync(fd, `${head.map(field).join(',')}\n`)
    const W = det.window
    const F = det.tags.length
    const per = Math.max(1, Math.floor(BATCH_VALUES / (W * F)))
    for (const [key, rows] of groups) {
      const sub = cols.map((c) => Float64Array.from(rows, (i) => c[i]!))
      const { data, n, ends } = slideWindows(sub, W)
      for (let from = 0; from < n; from += per) {
        const m = Math.min(per, n - from)
        const { score: s } = await det.score(data.subarray(from * W * F, (from + m) * W * F), m)
        const lines: string[] = []
        const alarm = new Uint8Array(m)
        const truth = new Float64Array(m)
        for (let w = 0; w < m; w++) {
          const i = rows[ends[from + w]!]!
          alarm[w] = s[w]! > det.threshold ? 1 : 0
          alarms += alarm[w]!
          if (label) truth[w] = label[i]!
          const when = tCol >= 0 ? field(cell(table, tCol, i)) : String(i)
          lines.push(
            `${when},${g >= 0 ? `${field(key)},` : ''}${num(s[w]!)},${num(det.threshold)},${alarm[w]}`,
          )
        }
        if (label) countDetections(confusion, alarm, truth)
        writeSync(fd, `${lines.join('\n')}\n`)
        windows += m
      }
    }
  } finally {
    closeSync(fd)
    await det.close()
  }
  const share = windows ? ((100 * alarms) / windows).toFixed(2) : '0'
  console.log(
    `${card.id} scored ${windows} windows of ${table.rows} rows from ${values.input}` +
      `${g >= 0 ? ` in ${groups.size} groups` : ''}: ${alarms} anomalous (${share} %); wrote ${values.out}`,
  )
  if (label) console.log(`against "${card.label}":\n${formatFigures(confusion)}`)
}
