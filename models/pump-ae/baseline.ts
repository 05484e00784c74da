/*
 * Writes inputs.errorBaseline into model.json for the shipped model.onnx without retraining
 * (train.py writes it on a retrain), and measures the sensor contributions it gives:
 *   node models/pump-ae/baseline.ts
 * The baseline is each sensor's mean absolute scaled reconstruction error over every stride-1
 * window of the training runs (runs.ts, regenerated as make-data.ts wrote them), scored by
 * Vigil's own scorer. The card's sha256 covers model.onnx only, so it stays valid.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { openAutoencoder, type Autoencoder } from '../../src/main/models/autoencoder.ts'
import { loadModel } from '../../src/main/models/registry.ts'
import { columnsFor, slideWindows } from '../../src/main/models/windows.ts'
import { generatePump } from '../../src/main/sources/simulator/generate.ts'
import { PUMP_TAGS } from '../../src/main/sources/simulator/pump-physics.ts'
import { roundAsCsv, RUNS, type Run } from './runs.ts'

/** As src/main/pipeline/asset-scoring.ts: a share this many times 1/tags marks a sensor ANOMALOUS. */
const ANOMALOUS_SHARE = 1.5
const here = new URL('./', import.meta.url).pathname
const model = loadModel(here)
const { card } = model
const { tags, window: W, scaler } = card.inputs
const F = tags.length
const threshold = card.threshold.value
const { errorBaseline: _old, ...rawInputs } = card.inputs
const rawAe = await openAutoencoder({ ...model, card: { ...card, inputs: rawInputs } })

async function scoreRun(ae: Autoencoder, r: Run) {
  const b = generatePump(r)
  roundAsCsv(b.values)
  const cols = columnsFor(tags, PUMP_TAGS, b.values, `seed ${r.seed}`)
  const w = slideWindows(cols, W)
  return { cols, t: b.t, ends: w.ends, ...(await ae.score(w.data, w.n)) }
}

// Per window, sensor j's mean error is its raw share x the window's total / W = share x score x F.
const sum = new Float64Array(F)
const lo = new Float64Array(F).fill(Infinity)
const hi = new Float64Array(F).fill(-Infinity)
let windows = 0
for (const r of RUNS.filter((r) => r.split === 'train')) {
  const { cols, score, contrib } = await scoreRun(rawAe, r)
  cols.forEach((c, j) => {
    lo[j] = Math.min(lo[j]!, ...c)
    hi[j] = Math.max(hi[j]!, ...c)
  })
  for (let k = 0; k < score.length; k++)
    for (let j = 0; j < F; j++) sum[j]! += contrib[k * F + j]! * score[k]! * F
  windows += score.length
}
// The scaler was fitted on this data: if it differs, the simulator changed since training.
tags.forEach((tag, j) => {
  if (Math.abs(lo[j]! - scaler.min[j]!) > 1e-4 || Math.abs(hi[j]! - scaler.max[j]!) > 1e-4)
    throw new Error(
      `${tag}: training data spans ${lo[j]}..${hi[j]}, the card's scaler ${scaler.min[j]}..${scaler.max[j]}`,
    )
})
const errorBaseline = Array.from(sum, (s) => Number((s / windows).toPrecision(6)))
console.log(
  `baseline over ${windows} training windows:`,
  Object.fromEntries(tags.map((t, j) => [t, errorBaseline[j]])),
)

type PerTag = Record<string, number>
interface Measured {
  windows: number
  meanShare: PerTag
  markedAnomalous: PerTag
  meanShareAtDetection?: PerTag
  topTwo?: PerTag
}

/**
 * Per tag: the mean share and the fraction of windows marking the sensor ANOMALOUS, over every
 * window of a normal split or over the ANOMALY windows from the fault on of a fault split; for a
 * fault, also the mean share in each run's first ANOMALY window and the top two there.
 */
async function measure(ae: Autoencoder, split: string): Promise<Measured> {
  const sums = { share: new Float64Array(F), marked: new Float64Array(F), first: new Float64Array(F) }
  const topTwo: Record<string, number> = {}
  let n = 0
  let runs = 0
  for (const r of RUNS.filter((r) => r.split === split)) {
    const { t, ends, score, contrib } = await scoreRun(ae, r)
    const since = r.faults?.[0]?.since
    let first = true
    for (let k = 0; k < score.length; k++) {
      if (since !== undefined && (t[ends[k]!]! < since || !(score[k]! > threshold))) continue
      const row = contrib.subarray(k * F, k * F + F)
      row.forEach((c, j) => {
        sums.share[j]! += c
        if (c * F >= ANOMALOUS_SHARE) sums.marked[j]!++
      })
      n++
      if (since === undefined || !first) continue
      first = false
      runs++
      row.forEach((c, j) => (sums.first[j]! += c))
      for (const j of [...row.keys()].sort((a, b) => row[b]! - row[a]!).slice(0, 2))
        topTwo[tags[j]!] = (topTwo[tags[j]!] ?? 0) + 1
    }
  }
  const perTag = (a: Float64Array, d: number) =>
    Object.fromEntries(tags.map((tag, j) => [tag, Number((a[j]! / d).toFixed(3))]))
  const all = { windows: n, meanShare: perTag(sums.share, n), markedAnomalous: perTag(sums.marked, n) }
  return runs ? { ...all, meanShareAtDetection: perTag(sums.first, runs), topTwo } : all
}

const weightedAe = await openAutoencoder({
  ...model,
  card: { ...card, inputs: { ...rawInputs, errorBaseline } },
})
const json = JSON.parse(readFileSync(`${here}model.json`, 'utf8'))
json.inputs.errorBaseline = errorBaseline
const contributions: Record<string, unknown> = {
  definition:
    'per window, sensor j counts mean(b) x min(e_j, b_j) / b_j + max(0, e_j - b_j), e_j its mean absolute ' +
    'scaled error, b = inputs.errorBaseline; its share is its count over the sum. markedAnomalous: fraction ' +
    `of the windows with share >= ${ANOMALOUS_SHARE}/tags (src/main/pipeline/asset-scoring.ts)`,
}
for (const split of ['test-normal', 'test-bearing_wear', 'test-cavitation', 'test-seal_leak']) {
  const raw = await measure(rawAe, split)
  const { topTwo, ...m } = await measure(weightedAe, split)
  console.log(
    `\n${split}: ${m.windows} ${topTwo ? 'ANOMALY windows after the fault' : 'windows'}; raw shares, then these`,
  )
  const row = (tag: string) => {
    const cells: Record<string, number | undefined> = {}
    for (const k of ['meanShare', 'markedAnomalous', 'meanShareAtDetection'] as const)
      if (m[k]) Object.assign(cells, { [`raw ${k}`]: raw[k]?.[tag], [k]: m[k][tag] })
    return cells
  }
  console.table(Object.fromEntries(tags.map((tag) => [tag, row(tag)])))
  const kind = split.replace('test-', '')
  contributions[kind] = m
  if (topTwo)
    json.metrics.detection[kind].topTwoContributorsAtDetection = Object.fromEntries(
      Object.entries(topTwo).sort((a, b) => b[1] - a[1]),
    )
}
json.metrics.contributions = contributions
writeFileSync(`${here}model.json`, JSON.stringify(json, null, 2) + '\n')
await Promise.all([rawAe.close(), weightedAe.close()])
console.log(
  `\nwrote inputs.errorBaseline, metrics.contributions and topTwoContributorsAtDetection to ${here}model.json`,
)
