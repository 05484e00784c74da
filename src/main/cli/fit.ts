import { parseArgs } from 'node:util'
import { VigilError } from '../../shared/errors.ts'
import { readColumnMap, renameColumns } from '../models/fit/column-map.ts'
import { readCsvTable, timeColumn, type CsvTable } from '../models/fit/csv-table.ts'
import {
  FIT_METHODS,
  fitInWorker,
  fitSummary,
  writeFitted,
  type DetectorFit,
} from '../models/fit/detector-fit.ts'
import { userModelsDir } from '../models/registry.ts'

export const fitUsage = `vigil fit --input FILE.csv --train-rows A:B [--tags a,b,c] --out DIR [options]

  Fits a detector on rows A to B of a CSV, a stretch of normal operation: PCA (Hotelling T²
  and Q with per-sensor contributions) or a small autoencoder; writes DIR/model.onnx,
  DIR/model.json and DIR/README.md: usable by \`vigil score --model DIR\`, and by the app once
  DIR is under ${userModelsDir()}.
  --train-rows A:B   data rows counted from 0 after the header, B excluded (as Python's A:B); A: and :B work
  --tags a,b,c       the columns to fit on; default: every number column but the time, label and flat ones
  --out DIR          the model folder to write (its name gives the model id unless --id)
  --map mapping.json renames columns first: {"file column": "tag", ...} or an import mapping
  --method pca|ae    PCA (default) or an autoencoder (tanh network, trained in seconds)
  --variance V       pca: keep components explaining this share of the variance (default 0.9)
  --components K     pca: keep exactly K components instead
  --window W         ae: rows whose mean error is one score (default 5)
  --bottleneck K     ae: width of the code (default: PCA's components for 90 % of the variance)
  --hidden H         ae: width of the hidden layers (default 2 x tags, 8 to 32)
  --percentile P     each limit (pca) or the threshold (ae) at this percentile of the training scores (default 99)
  --label COLUMN     a 0/1 column \`vigil score\` compares against (default: anomaly/label if present)
  --id ID            the model id (lowercase letters, digits, dashes)`

const LABELS = /^(anomaly|label|labels|is_anomaly|fault|target|class)$/i
const NOT_TAGS = /^(changepoint|change_point)$/i

/** "A:B" as [from, to) over `rows` data rows. */
export function parseRows(spec: string, rows: number): [number, number] {
  const m = /^(\d*):(\d*)$/.exec(spec.trim())
  if (!m) throw new VigilError('bad-request', `--train-rows: "${spec}" is not A:B (for example 0:400)`)
  const from = m[1] ? Number(m[1]) : 0
  const to = m[2] ? Number(m[2]) : rows
  if (from >= to || to > rows)
    throw new VigilError('bad-request', `--train-rows: ${from}:${to} is not a range of rows within 0:${rows}`)
  return [from, to]
}

/** Every number column but the time, label and changepoint columns and those flat over [from, to). */
function defaultTags(
  t: CsvTable,
  from: number,
  to: number,
  label: string | undefined,
  notes: string[],
): string[] {
  const time = timeColumn(t)
  return t.header.filter((h, j) => {
    const col = t.numbers[j]
    if (!col || j === time || h === label || LABELS.test(h) || NOT_TAGS.test(h)) return false
    let lo = Infinity
    let hi = -Infinity
    for (let i = from; i < to; i++) {
      const v = col[i]!
      if (v < lo) lo = v
      if (v > hi) hi = v
    }
    if (!(hi > lo))
      notes.push(`left out "${h}": ${lo === Infinity ? 'no values' : 'constant'} in rows ${from}:${to}`)
    return hi > lo
  })
}

export async function fit(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      input: { type: 'string' },
      'train-rows': { type: 'string' },
      tags: { type: 'string' },
      out: { type: 'string' },
      map: { type: 'string' },
      variance: { type: 'string' },
      components: { type: 'string' },
      percentile: { type: 'string' },
      method: { type: 'string' },
      window: { type: 'string' },
      bottleneck: { type: 'string' },
      hidden: { type: 'string' },
      label: { type: 'string' },
      id: { type: 'string' },
    },
    strict: true,
  })
  for (const k of ['input', 'train-rows', 'out'] as const)
    if (!values[k]) throw new VigilError('bad-request', `--${k} is required`)
  if (values.variance && values.components)
    throw new VigilError('bad-request', '--variance and --components exclude each other')
  const method = values.method ?? 'pca'
  if (!(FIT_METHODS as readonly string[]).includes(method))
    throw new VigilError('bad-request', `--method: "${method}" is not one of ${FIT_METHODS.join(', ')}`)
  const other =
    method === 'ae' ? (['variance', 'components'] as const) : (['window', 'bottleneck', 'hidden'] as const)
  for (const k of other)
    if (values[k] !== undefined)
      throw new VigilError('bad-request', `--${k} does not apply to --method ${method}`)
  if (values.id !== undefined && !/^[a-z0-9][a-z0-9-]*$/.test(values.id))
    throw new VigilError('bad-request', `--id: "${values.id}" must be lowercase letters, digits and dashes`)
  const table = await readCsvTable(values.input!)
  if (values.map) renameColumns(table, readColumnMap(values.map), values.map)
  const [from, to] = parseRows(values['train-rows']!, table.rows)
  const label = values.label ?? table.header.find((h, j) => LABELS.test(h) && table.numbers[j])
  if (values.label && !table.header.includes(values.label))
    throw new VigilError('bad-request', `--label: ${table.path} has no column "${values.label}"`)

  const notes: string[] = []
  const tags = values.tags
    ? values.tags
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : defaultTags(table, from, to, label, notes)
  if (tags.length === 0) throw new VigilError('bad-request', `${table.path}: no number columns to fit on`)
  const cols = tags.map((tag) => {
    const j = table.header.indexOf(tag)
    if (j < 0)
      throw new VigilError(
        'bad-request',
        `--tags: ${table.path} has no column "${tag}" (it has ${table.header.map((h) => `"${h}"`).join(', ')})`,
      )
    const col = table.numbers[j]
    if (!col)
      throw new VigilError('bad-request', `--tags: column "${tag}" of ${table.path} holds text, not numbers`)
    return col.subarray(from, to)
  })

  const num = (k: 'variance' | 'components' | 'percentile' | 'window' | 'bottleneck' | 'hidden') => {
    const v = values[k]
    if (v === undefined) return undefined
    const x = Number(v)
    if (!Number.isFinite(x)) throw new VigilError('bad-request', `--${k}: "${v}" is not a number`)
    return x
  }
  const spec: DetectorFit =
    method === 'ae'
      ? {
          method: 'ae',
          opts: {
            window: num('window'),
            bottleneck: num('bottleneck'),
            hidden: num('hidden'),
            percentile: num('percentile'),
          },
        }
      : {
          method: 'pca',
          opts: { variance: num('variance'), components: num('components'), percentile: num('percentile') },
        }
  const fitted = await fitInWorker(cols, tags, spec)
  const { training } = fitted.model
  const card = writeFitted(values.out!, fitted, {
    id: values.id,
    data: `${values.input} rows ${from}:${to}`,
    training: { file: values.input, rowRange: `${from}:${to}` },
    label,
  })
  for (const n of notes) console.log(n)
  console.log(
    `fitted "${card.id}" on ${training.rows} rows of ${tags.length} tags (${tags.join(', ')}): ${fitSummary(fitted)}`,
  )
  if (training.skippedRows)
    console.log(`${training.skippedRows} training rows with a missing value were left out`)
  console.log(
    `wrote ${values.out}/model.onnx and model.json; score with: vigil score --model ${values.out} --input FILE.csv --out scores.csv`,
  )
}
