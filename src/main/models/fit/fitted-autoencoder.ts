import { createHash } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { VigilError } from '../../../shared/errors.ts'
import { ModelCard } from '../../../shared/model-card.ts'
import { AE_IO, aeToOnnx } from '../onnx-writer/ae-graph.ts'
import type { AeModel } from './ae-fit.ts'
import { AE_FOLDS } from './ae-limits.ts'
import { idFromFolder, type FitInfo } from './fitted-model.ts'

/*
 * A fitted autoencoder becomes a model folder of the shipped 'autoencoder' kind (model.onnx,
 * model.json, README.md), so the registry checks it and autoencoder.ts scores it like
 * pump-ae: nothing in the serving path knows it was fitted here. The network's shape and
 * training figures go in the card's training record.
 */

const round = (v: number) => Number(v.toPrecision(8))
const unitOf = (m: AeModel) =>
  m.weighting === 'spread'
    ? 'spread over the training rows'
    : `normal error${m.limitsFrom === 'out-of-fold' ? ' (on training rows its network did not see)' : ''}`
const list = (a: ArrayLike<number>) => Array.from(a, round)

export function aeCard(m: AeModel, sha256: string, info: FitInfo & { id: string }): ModelCard {
  const t = m.training
  const card = {
    id: info.id,
    version: sha256.slice(0, 12),
    kind: 'autoencoder',
    assetClass: info.assetClass ?? 'other',
    description:
      `Autoencoder fitted on ${info.data}: ${m.net.sizes.join('-')} tanh network over ${m.tags.length} tags; ` +
      `a window of ${m.window} rows is ANOMALY when its mean reconstruction error, each tag in units ` +
      `of its ${unitOf(m)}, passes the threshold.`,
    file: 'model.onnx',
    sha256,
    inputs: {
      name: AE_IO.input,
      tags: m.tags,
      window: m.window,
      scaler: { kind: 'minmax', min: list(m.min), max: list(m.max) },
      errorBaseline: list(m.errorBaseline),
    },
    outputs: { name: AE_IO.output },
    threshold: {
      value: round(m.threshold),
      method:
        `the ${m.percentile}th percentile of the score over the ${t.windows} training windows of ${m.window} rows` +
        (m.limitsFrom === 'out-of-fold'
          ? `, each row scored by a network trained on the other ${AE_FOLDS - 1} of ${AE_FOLDS} contiguous blocks`
          : ' (in-sample)'),
    },
    ...(info.label ? { label: info.label } : {}),
    training: {
      data: info.data,
      method: 'autoencoder',
      rows: t.rows,
      skippedRows: t.skippedRows,
      flatTags: t.flatTags,
      architecture: `${m.net.sizes.join(' -> ')} (tanh hidden layers, linear output), on standardised rows`,
      loss: 'squared error; Adam lr 3e-3, batch 16',
      split: `first ${t.fitRows} complete rows fit, the last ${t.holdoutRows} choose the epoch`,
      epochs: t.epochs,
      bestEpoch: t.bestEpoch,
      fitLoss: round(t.fitLoss),
      holdoutLoss: round(t.holdoutLoss),
      errorWeighting: {
        note: `the graph outputs x + (r - z) * weight_j (r, z standardised), so the error the scorer averages counts each tag in units of its ${unitOf(m)}`,
        weighting: m.weighting,
        weight: list(m.weight),
        mean: list(m.mean),
        std: list(m.std),
      },
      fittedAt: new Date().toISOString(),
      ...info.training,
    },
    metrics: { trainingAlarmRate: round(t.alarmRate), ...info.metrics },
  }
  const parsed = ModelCard.safeParse(card)
  if (!parsed.success)
    throw new VigilError('internal', `fit: the card it made fails its schema: ${parsed.error.message}`)
  return parsed.data
}

/** Writes dir/model.onnx, dir/model.json and dir/README.md; returns the card. */
export function writeFittedAutoencoder(dir: string, m: AeModel, info: FitInfo): ModelCard {
  const bytes = aeToOnnx(m, '1')
  const sha = createHash('sha256').update(bytes).digest('hex')
  const card = aeCard(m, sha, { ...info, id: info.id ?? idFromFolder(dir) })
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'model.onnx'), bytes)
  writeFileSync(join(dir, 'model.json'), `${JSON.stringify(card, null, 2)}\n`)
  writeFileSync(join(dir, 'README.md'), readme(card, m))
  return card
}

function readme(card: ModelCard, m: AeModel): string {
  const t = m.training
  const rows = m.tags.map(
    (tag, j) =>
      `| ${tag} | ${round(m.mean[j]!)} | ${round(m.std[j]!)} | ${round(m.min[j]!)} .. ${round(m.max[j]!)} | ${round(m.weight[j]!)} |`,
  )
  return `# ${card.id}

${card.description}

- Fitted on: ${String(card.training.data)} (${t.rows} complete rows${t.skippedRows ? `, ${t.skippedRows} rows with a missing value left out` : ''}).
- Network: ${m.net.sizes.join(' → ')}, tanh, on standardised rows; trained on the first ${t.fitRows} rows, stopped at epoch ${t.bestEpoch} of ${t.epochs} on the last ${t.holdoutRows} (squared error ${round(t.fitLoss)} fit, ${round(t.holdoutLoss)} held out).
- Score: the mean over a ${m.window}-row window of each row's absolute error, every tag in units of its ${unitOf(m)}; threshold ${round(m.threshold)}, ${card.threshold.method}. On its own training windows it flags ${(t.alarmRate * 100).toFixed(2)} %.
- Contributions: each tag's share of the window's weighted error.${t.flatTags.length ? `\n- Constant in training (scaled by 1): ${t.flatTags.join(', ')}.` : ''}

| tag | mean | std | training range | error weight |
|---|---|---|---|---|
${rows.join('\n')}

Graph: input \`${AE_IO.input}\` [batch, ${m.window}, ${m.tags.length}] float32 min-max scaled; output \`${AE_IO.output}\` of the same shape.
Score a file with \`vigil score --model <this folder> --input FILE.csv --out scores.csv\`.
`
}
