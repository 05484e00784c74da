import type { SeriesBlock } from '../../../shared/contract.ts'
import type { ScoreHistory } from '../../../shared/history-channels.ts'
import type { HistoryLine } from '../../charts/HistoryChart.tsx'
import type { HistoryTable } from '../../charts/history-frame.ts'
import { hmi } from '../../charts/hmi-colors.ts'
import { formatScore } from '../../state/format.ts'

/** A tag as the history view names it; unit '' when the plant does not say (an imported asset). */
export interface TagMeta {
  id: string
  label: string
  unit: string
}

/** One chart: its lines and the query columns they draw. */
export interface ChartSpec {
  key: string
  title: string
  unit: string
  lines: HistoryLine[]
  tables: HistoryTable[]
}

/** '#27435f' at alpha a, for an envelope's fill. */
export function withAlpha(hex: string, a: number): string {
  const n = Number.parseInt(hex.slice(1), 16)
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${a})`
}

/**
 * Tags that share a unit share a chart, in the order they first appear; a tag without a
 * known unit gets its own, since its scale says nothing about its neighbours'. A group's
 * title is its tags' common last word ("Bearing temperature", "Casing temperature" ->
 * "Temperature"), else the single tag's name, else the unit.
 */
export function tagGroups(tags: TagMeta[]): { key: string; title: string; unit: string; tags: TagMeta[] }[] {
  const groups = new Map<string, TagMeta[]>()
  for (const t of tags) {
    const key = t.unit ? `unit:${t.unit}` : `tag:${t.id}`
    const g = groups.get(key)
    if (g) g.push(t)
    else groups.set(key, [t])
  }
  return [...groups].map(([key, g]) => {
    const unit = g[0]!.unit
    if (g.length === 1) return { key, title: g[0]!.label, unit, tags: g }
    const last = g.map((t) => t.label.trim().split(/\s+/).pop()!.toLowerCase())
    const common = last.every((w) => w === last[0]) ? last[0]! : ''
    return { key, title: common ? common[0]!.toUpperCase() + common.slice(1) : unit, unit, tags: g }
  })
}

/**
 * The tag charts for one answer of history.range, and when comparing, the other period's
 * answer drawn over it: same shade, dashed, its envelope fainter. Each tag is drawn as its
 * min-max envelope, so a spike inside a bucket still reaches the line.
 */
export function tagCharts(
  block: SeriesBlock,
  meta: TagMeta[],
  compare?: { block: SeriesBlock; shift: number; suffix: string },
): ChartSpec[] {
  const known = meta.filter((m) => block.tags.includes(m.id))
  return tagGroups(known).map((g) => {
    const cols = (b: SeriesBlock) =>
      g.tags.flatMap((t) => {
        const k = b.tags.indexOf(t.id)
        const empty = new Float64Array(b.t.length).fill(NaN)
        return k < 0 ? [empty, empty] : [b.max[k]!, b.min[k]!]
      })
    const lines: HistoryLine[] = g.tags.map((t, i) => ({
      label: t.label,
      stroke: hmi.trend[i % hmi.trend.length]!,
      dash: hmi.dash[i % hmi.dash.length]!,
      band: true,
      fill: withAlpha(hmi.trend[i % hmi.trend.length]!, 0.16),
    }))
    const tables: HistoryTable[] = [{ t: block.t, cols: cols(block) }]
    if (compare) {
      g.tags.forEach((t, i) =>
        lines.push({
          label: `${t.label} (${compare.suffix})`,
          stroke: hmi.trend[i % hmi.trend.length]!,
          dash: [3, 3],
          width: 1,
          band: true,
          fill: withAlpha(hmi.trend[i % hmi.trend.length]!, 0.07),
        }),
      )
      tables.push({ t: compare.block.t, cols: cols(compare.block), shift: compare.shift })
    }
    return { key: g.key, title: g.title, unit: g.unit, lines, tables }
  })
}

/**
 * A model's score over the range: its envelope, the threshold in force, and a red mark at
 * each bucket holding ANOMALY windows (the only colour on the chart).
 */
export function scoreChart(s: ScoreHistory): ChartSpec {
  const marks = new Float64Array(s.t.length)
  for (let i = 0; i < marks.length; i++) marks[i] = s.anomalies[i]! > 0 ? s.max[i]! : NaN
  return {
    key: `score:${s.modelId}`,
    title: `Anomaly score · ${s.modelId}`,
    unit: `v${s.modelVersion}`,
    lines: [
      {
        label: 'score',
        stroke: hmi.trend[0],
        band: true,
        fill: withAlpha(hmi.trend[0], 0.16),
        format: formatScore,
      },
      { label: 'threshold', stroke: hmi.threshold, dash: [6, 4], format: formatScore },
      { label: 'ANOMALY windows', stroke: hmi.critical, points: true, format: formatScore },
    ],
    tables: [{ t: s.t, cols: [s.max, s.min, s.threshold, marks] }],
  }
}

/** Anomalous windows in the answer (decimated: the sum of each bucket's count). */
export function anomalousWindows(s: ScoreHistory): number {
  let n = 0
  for (let i = 0; i < s.anomalies.length; i++) if (s.anomalies[i]! > 0) n += s.anomalies[i]!
  return n
}

/** Rows of an answer holding a value for some tag: empty buckets and gaps do not count. */
export function rowsWithData(b: SeriesBlock): number {
  let n = 0
  for (let i = 0; i < b.t.length; i++) if (b.max.some((col) => col[i] === col[i])) n++
  return n
}
