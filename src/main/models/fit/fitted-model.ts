import { createHash } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { VigilError } from '../../../shared/errors.ts'
import { ModelCard } from '../../../shared/model-card.ts'
import { PCA_IO, pcaToOnnx } from '../onnx-writer/pca-graph.ts'
import { limitsMethod, type PcaModel } from './pca-fit.ts'

/*
 * A fitted detector becomes a model folder like any shipped one: model.onnx, model.json (the
 * card the registry checks) and a README.md a person can read. The card carries the file's
 * sha256, so a folder left half-written (or a model.onnx replaced by hand) is refused by the
 * registry with the reason rather than served.
 */

export interface FitInfo {
  /** The card id; default: the output folder's name, made lowercase and dashed. */
  id?: string
  assetClass?: ModelCard['assetClass']
  /** What the data was (file and rows, or asset and time span): goes in the card and README. */
  data: string
  /** Where the training rows came from, as the card's training record. */
  training?: Record<string, unknown>
  /** A label column scored files may carry (the card's `label`). */
  label?: string
  metrics?: Record<string, unknown>
}

const round = (v: number) => Number(v.toPrecision(8))
const list = (a: ArrayLike<number>) => Array.from(a, round)

/** The id a folder name gives: "My Pump #2" -> "my-pump-2". */
export function idFromFolder(dir: string): string {
  const id = basename(resolve(dir))
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  return id || 'fitted-pca'
}

export function pcaCard(m: PcaModel, sha256: string, info: FitInfo & { id: string }): ModelCard {
  const card = {
    id: info.id,
    version: sha256.slice(0, 12),
    kind: 'pca',
    assetClass: info.assetClass ?? 'other',
    description:
      `PCA detector fitted on ${info.data}: Hotelling T² and Q (SPE) over ${m.tags.length} tags, ` +
      `${m.components} components; a row is ANOMALY when either statistic passes its limit.`,
    file: 'model.onnx',
    sha256,
    inputs: {
      name: PCA_IO.input,
      tags: m.tags,
      window: 1,
      scaler: { kind: 'minmax', min: list(m.training.min), max: list(m.training.max) },
    },
    outputs: { name: PCA_IO.score },
    threshold: {
      value: 1,
      method: `score = max(T²/T²lim, Q/Qlim); T²lim and Qlim are ${limitsMethod(m)}`,
    },
    ...(info.label ? { label: info.label } : {}),
    pca: {
      mean: list(m.mean),
      std: list(m.std),
      components: m.components,
      explainedVariance: round(m.explained),
      eigenvalues: list(m.eigenvalues).map((v) => Math.max(0, v)),
      percentile: m.percentile,
      t2Limit: round(m.t2Limit),
      qLimit: round(m.qLimit),
      outputs: { t2: PCA_IO.t2, q: PCA_IO.q, contrib: PCA_IO.contrib },
    },
    training: {
      data: info.data,
      rows: m.training.rows,
      skippedRows: m.training.skippedRows,
      flatTags: m.training.flatTags,
      fittedAt: new Date().toISOString(),
      ...info.training,
    },
    metrics: { trainingAlarmRate: round(m.training.alarmRate), ...info.metrics },
  }
  const parsed = ModelCard.safeParse(card)
  if (!parsed.success)
    throw new VigilError('internal', `fit: the card it made fails its schema: ${parsed.error.message}`)
  return parsed.data
}

/** Writes dir/model.onnx, dir/model.json and dir/README.md; returns the card. */
export function writeFittedModel(dir: string, m: PcaModel, info: FitInfo): ModelCard {
  const bytes = pcaToOnnx(m, '1')
  const sha = createHash('sha256').update(bytes).digest('hex')
  const card = pcaCard(m, sha, { ...info, id: info.id ?? idFromFolder(dir) })
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'model.onnx'), bytes)
  writeFileSync(join(dir, 'model.json'), `${JSON.stringify(card, null, 2)}\n`)
  writeFileSync(join(dir, 'README.md'), readme(card, m))
  return card
}

function readme(card: ModelCard, m: PcaModel): string {
  const rows = m.tags.map(
    (t, j) =>
      `| ${t} | ${round(m.mean[j]!)} | ${round(m.std[j]!)} | ${round(m.training.min[j]!)} .. ${round(m.training.max[j]!)} |`,
  )
  return `# ${card.id}

${card.description}

- Fitted on: ${String(card.training.data)} (${m.training.rows} complete rows${m.training.skippedRows ? `, ${m.training.skippedRows} rows with a missing value left out` : ''}).
- Components: ${m.components} of ${m.tags.length}, explaining ${(m.explained * 100).toFixed(1)} % of the standardised variance.
- Limits: T² ${round(m.t2Limit)}, Q ${round(m.qLimit)}: ${limitsMethod(m)}.
- Score: max(T²/T²lim, Q/Qlim); threshold 1. On its own training rows it flags ${(m.training.alarmRate * 100).toFixed(2)} %.
- Contributions: each tag's share of T²/T²lim + Q/Qlim (complete decomposition), summing to 1 per row.${m.training.flatTags.length ? `\n- Constant in training (scaled by 1): ${m.training.flatTags.join(', ')}.` : ''}

| tag | mean | std | training range |
|---|---|---|---|
${rows.join('\n')}

Graph: input \`${PCA_IO.input}\` [batch, ${m.tags.length}] float32 raw values; outputs \`${PCA_IO.score}\`, \`${PCA_IO.t2}\`, \`${PCA_IO.q}\` [batch] and \`${PCA_IO.contrib}\` [batch, ${m.tags.length}].
Score a file with \`vigil score --model <this folder> --input FILE.csv --out scores.csv\`.
`
}
