import { closeSync, openSync, writeSync } from 'node:fs'
import { VigilError } from '../../shared/errors.ts'
import { numericColumn, timeColumn, type CsvTable } from '../models/fit/csv-table.ts'
import { countDetections, emptyConfusion, formatFigures } from '../models/fit/detection-metrics.ts'
import { formatRul, rocAuc, rulFigures } from '../models/prediction-metrics.ts'
import { openPredictor, type Predictor, type PredictorOutputs } from '../models/predictor.ts'
import type { LoadedModel } from '../models/registry.ts'
import { resampleSequence } from '../models/resample-sequence.ts'
import { slideWindows } from '../models/windows.ts'
import { cell, field, groupRows, num } from './csv-cells.ts'

/*
 * `vigil score` for the predictor kinds (score.ts does the detectors):
 *   rul     every window of each group (a C-MAPSS engine "unit"), a group shorter than the
 *           window padded at its start with its first row, as C-MAPSS evaluations do
 *   defect  each group (default the card's sequence.by) is one unit, resampled to the window's
 *           steps by linear interpolation in time, as the engine does at the end of a cast
 *   policy  every row that has all its inputs
 * Against the card's label column: RMSE and PHM08 score for rul (every window, and each
 * group's last window, which is what C-MAPSS publishes), ROC-AUC and F1 for defect.
 */

/** Inputs per inference call. */
const CALL = 512

interface Args {
  input: string
  out: string
  group: string | undefined
}

export async function scorePredictor(model: LoadedModel, table: CsvTable, args: Args): Promise<void> {
  const card = model.card
  const groupName = args.group ?? card.sequence?.by
  const g = groupName === undefined ? -1 : table.header.indexOf(groupName)
  if (groupName !== undefined && g < 0)
    throw new VigilError(
      'bad-request',
      `${args.group === undefined ? `${model.dir} sequence.by` : '--group'}: ${table.path} has no column "${groupName}"`,
    )
  const cols = card.inputs.tags.map((tag) => numericColumn(table, tag))
  const label = card.label && table.header.includes(card.label) ? numericColumn(table, card.label) : null
  const p = await openPredictor(model)
  const fd = openSync(args.out, 'w')
  try {
    const ctx = { table, g, cols, label, p, fd, groups: groupRows(table, g) }
    if (p.kind === 'rul') await scoreRul(ctx)
    else if (p.kind === 'defect') await scoreDefect(ctx)
    else await scorePolicy(ctx)
  } finally {
    closeSync(fd)
    await p.close()
  }
  console.log(`wrote ${args.out}`)
}

interface Ctx {
  table: CsvTable
  g: number
  cols: Float64Array[]
  label: Float64Array | null
  p: Predictor
  fd: number
  groups: Map<string, number[]>
}

const head = (c: Ctx, first: string, rest: string[]) =>
  writeSync(c.fd, `${[first, ...(c.g >= 0 ? [c.table.header[c.g]!] : []), ...rest].map(field).join(',')}\n`)

/** The row's time column text, or its row number. */
function when(c: Ctx, tCol: number, i: number): string {
  return tCol >= 0 ? field(cell(c.table, tCol, i)) : String(i)
}

async function predictAll(p: Predictor, inputs: Float64Array, n: number) {
  const per = p.window * p.tags.length
  const parts: PredictorOutputs[] = []
  for (let at = 0; at < n; at += CALL) {
    const m = Math.min(CALL, n - at)
    parts.push(await p.predict(inputs.subarray(at * per, (at + m) * per), m))
  }
  const join = (pick: (o: PredictorOutputs) => Float64Array | undefined) =>
    parts.length && pick(parts[0]!) ? Float64Array.from(parts.flatMap((o) => [...pick(o)!])) : undefined
  return {
    value: join((o) => o.value) ?? new Float64Array(0),
    spread: join((o) => o.spread),
    confidence: join((o) => o.confidence),
    members: Object.fromEntries(
      Object.keys(parts[0]?.members ?? {}).map((k) => [k, join((o) => o.members?.[k])!]),
    ),
    actions: join((o) => o.actions),
  }
}

async function scoreRul(c: Ctx): Promise<void> {
  const { p } = c
  const W = p.window
  const tCol = timeColumn(c.table, c.g)
  head(c, tCol >= 0 ? c.table.header[tCol]! : 'row', ['rul', ...(p.card.outputs.spread ? ['rul_std'] : [])])
  const pred: number[] = []
  const truth: number[] = []
  const lastPred: number[] = []
  const lastTruth: number[] = []
  let padded = 0
  let windows = 0
  for (const [key, rows] of c.groups) {
    // Pad a short unit at its start with its first row: C-MAPSS test units can be shorter than the window.
    const pad = Math.max(0, W - rows.length)
    if (pad) padded++
    const idx = [...new Array<number>(pad).fill(rows[0]!), ...rows]
    const sub = c.cols.map((col) => Float64Array.from(idx, (i) => col[i]!))
    const { data, n, ends } = slideWindows(sub, W)
    const o = await predictAll(p, data, n)
    const lines: string[] = []
    for (let w = 0; w < n; w++) {
      const i = idx[ends[w]!]!
      const std = o.spread ? `,${num(o.spread[w]!)}` : ''
      lines.push(`${when(c, tCol, i)},${c.g >= 0 ? `${field(key)},` : ''}${num(o.value[w]!)}${std}`)
      if (c.label) {
        pred.push(o.value[w]!)
        truth.push(c.label[i]!)
      }
    }
    if (c.label && n > 0) {
      lastPred.push(o.value[n - 1]!)
      lastTruth.push(c.label[idx[ends[n - 1]!]!]!)
    }
    if (lines.length) writeSync(c.fd, `${lines.join('\n')}\n`)
    windows += n
  }
  console.log(
    `${p.id} predicted the life at ${windows} windows of ${c.table.rows} rows in ${c.groups.size} group(s)` +
      (padded
        ? `; ${padded} group(s) shorter than the ${W}-row window were padded with their first row`
        : ''),
  )
  if (c.label) {
    console.log(`against "${p.card.label}" (${p.card.rul?.unit ?? 'cycles'}):`)
    console.log(formatRul(rulFigures(pred, truth), 'every window'))
    if (c.g >= 0) console.log(formatRul(rulFigures(lastPred, lastTruth), "each group's last window"))
  }
}

/** A unit's sample times: the time column as epoch ms (numbers as they are, text parsed), else row numbers. */
function timesOf(c: Ctx, tCol: number, rows: number[]): Float64Array {
  if (tCol < 0) return Float64Array.from(rows)
  const nums = c.table.numbers[tCol]
  return Float64Array.from(rows, (i) => {
    const t = nums ? nums[i]! : Date.parse(c.table.text[tCol]![i]!)
    if (!Number.isFinite(t))
      throw new VigilError(
        'bad-request',
        `${c.table.path}: row ${i + 2}: column "${c.table.header[tCol]}" is not a time: "${cell(c.table, tCol, i)}"`,
      )
    return t
  })
}

async function scoreDefect(c: Ctx): Promise<void> {
  const { p } = c
  const W = p.window
  const F = p.tags.length
  const tCol = timeColumn(c.table, c.g)
  const members = Object.keys(p.card.outputs.members ?? {})
  head(c, tCol >= 0 ? c.table.header[tCol]! : 'row', [
    'probability',
    ...members.map((m) => `probability_${m}`),
    ...(p.card.outputs.confidence ? ['confidence'] : []),
    'is_defect',
  ])
  const keys = [...c.groups.keys()]
  const inputs = new Float64Array(keys.length * W * F)
  keys.forEach((key, u) => {
    const rows = c.groups.get(key)!
    const sub = c.cols.map((col) => Float64Array.from(rows, (i) => col[i]!))
    resampleSequence(
      timesOf(c, tCol, rows),
      sub,
      W,
      `${c.table.path} unit ${key}`,
      inputs.subarray(u * W * F, (u + 1) * W * F),
    )
  })
  const o = await predictAll(p, inputs, keys.length)
  const flag = Uint8Array.from(o.value, (v) => (v > p.threshold ? 1 : 0))
  const truth = new Float64Array(keys.length)
  const lines = keys.map((key, u) => {
    const rows = c.groups.get(key)!
    // A unit is defective when any of its rows says so (labels are per cast, repeated per row).
    if (c.label) truth[u] = rows.some((i) => c.label![i]! > 0.5) ? 1 : 0
    const cells = [
      num(o.value[u]!),
      ...members.map((m) => num(o.members[m]![u]!)),
      ...(o.confidence ? [num(o.confidence[u]!)] : []),
      String(flag[u]),
    ]
    return `${when(c, tCol, rows[rows.length - 1]!)},${c.g >= 0 ? `${field(key)},` : ''}${cells.join(',')}`
  })
  if (lines.length) writeSync(c.fd, `${lines.join('\n')}\n`)
  const share = keys.length ? ((100 * flag.reduce((a, b) => a + b, 0)) / keys.length).toFixed(2) : '0'
  console.log(`${p.id} scored ${keys.length} units of ${c.table.rows} rows: ${share} % past ${p.threshold}`)
  if (c.label) {
    console.log(`against "${p.card.label}" per unit: ROC-AUC ${rocAuc(o.value, truth).toFixed(3)}`)
    console.log(formatFigures(countDetections(emptyConfusion(), flag, truth)))
    for (const m of members) console.log(`  member ${m}: ROC-AUC ${rocAuc(o.members[m]!, truth).toFixed(3)}`)
  }
}

async function scorePolicy(c: Ctx): Promise<void> {
  const { p } = c
  const F = p.tags.length
  const tCol = timeColumn(c.table, c.g)
  const actions = p.card.policy!.actions
  head(
    c,
    tCol >= 0 ? c.table.header[tCol]! : 'row',
    actions.map((a) => `${a.tag}_advice`),
  )
  const rows = [...c.groups.values()].flat().sort((a, b) => a - b)
  const inputs = new Float64Array(rows.length * F)
  rows.forEach((i, r) => c.cols.forEach((col, j) => (inputs[r * F + j] = col[i]!)))
  const o = await predictAll(p, inputs, rows.length)
  const A = actions.length
  const lines = rows.map((i, r) => {
    const key = c.g >= 0 ? `${field(cell(c.table, c.g, i))},` : ''
    const advice = Array.from(o.actions!.subarray(r * A, (r + 1) * A), num)
    return `${when(c, tCol, i)},${key}${advice.join(',')}`
  })
  if (lines.length) writeSync(c.fd, `${lines.join('\n')}\n`)
  console.log(`${p.id} advised ${actions.map((a) => a.tag).join(', ')} for ${rows.length} rows`)
}
