import { describe, expect, it } from 'vitest'
import type { SeriesBlock } from '../../../shared/contract.ts'
import type { ScoreHistory } from '../../../shared/history-channels.ts'
import { joinTables } from '../../charts/history-frame.ts'
import {
  anomalousWindows,
  rowsWithData,
  scoreChart,
  tagCharts,
  tagGroups,
  withAlpha,
  type TagMeta,
} from './chart-specs.ts'

const f = (...v: number[]) => new Float64Array(v)
const meta: TagMeta[] = [
  { id: 'Bearing_Temperature_C', label: 'Bearing temperature', unit: '°C' },
  { id: 'Vibration_mm_s', label: 'Vibration', unit: 'mm/s' },
  { id: 'Casing_Temperature_C', label: 'Casing temperature', unit: '°C' },
  { id: 'x1', label: 'x1', unit: '' },
  { id: 'x2', label: 'x2', unit: '' },
]

function block(tags: string[], t: Float64Array): SeriesBlock {
  const min = tags.map((_, k) => Float64Array.from(t, (_, i) => k * 10 + i))
  const max = tags.map((_, k) => Float64Array.from(t, (_, i) => k * 10 + i + 0.5))
  return { assetId: 'P-101', tags, t, min, max, raw: false }
}

describe('history chart specs', () => {
  it('groups tags sharing a unit and gives each tag of unknown unit its own chart', () => {
    const g = tagGroups(meta)
    expect(g.map((x) => [x.title, x.unit, x.tags.map((t) => t.id)])).toEqual([
      ['Temperature', '°C', ['Bearing_Temperature_C', 'Casing_Temperature_C']],
      ['Vibration', 'mm/s', ['Vibration_mm_s']],
      ['x1', '', ['x1']],
      ['x2', '', ['x2']],
    ])
  })

  it('draws each tag as its max-min envelope, and a compared period over it shifted into place', () => {
    const tags = ['Bearing_Temperature_C', 'Casing_Temperature_C']
    const now = block(tags, f(1000, 2000))
    const before = block(tags, f(500, 1500))
    const [temp] = tagCharts(now, meta, { block: before, shift: 600, suffix: '−7 d' })
    expect(temp!.lines.map((l) => [l.label, l.band])).toEqual([
      ['Bearing temperature', true],
      ['Casing temperature', true],
      ['Bearing temperature (−7 d)', true],
      ['Casing temperature (−7 d)', true],
    ])
    const data = joinTables(temp!.tables)
    // Two band columns per line; the compared period lands at 1100 and 2100.
    expect(data.length).toBe(1 + 8)
    expect(data[0]).toEqual([1000, 1100, 2000, 2100])
    expect(data[1]).toEqual([0.5, undefined, 1.5, undefined])
    expect(data[2]).toEqual([0, undefined, 1, undefined])
    expect(data[5]).toEqual([undefined, 0.5, undefined, 1.5])
  })

  it('leaves out tags the answer does not hold', () => {
    const charts = tagCharts(block(['Vibration_mm_s'], f(1)), meta)
    expect(charts.map((c) => c.title)).toEqual(['Vibration'])
  })

  it('marks only the buckets holding anomalous windows on the score chart', () => {
    const s: ScoreHistory = {
      modelId: 'pump-ae',
      modelVersion: '3',
      raw: false,
      t: f(0, 10, 20),
      min: f(0.1, 0.2, NaN),
      max: f(0.3, 0.9, NaN),
      threshold: f(0.5, 0.5, NaN),
      anomalies: f(0, 4, NaN),
    }
    const spec = scoreChart(s)
    const data = joinTables(spec.tables)
    expect(data[4]).toEqual([null, 0.9, null])
    expect(anomalousWindows(s)).toBe(4)
    expect(spec.lines.find((l) => l.points)?.label).toBe('ANOMALY windows')
  })

  it('turns a trend colour into a fill', () => {
    expect(withAlpha('#27435f', 0.5)).toBe('rgba(39, 67, 95, 0.5)')
  })

  it('counts the rows of an answer that hold any value', () => {
    const b = block(['a', 'b'], f(0, 1, 2))
    b.max[0]![1] = NaN
    b.max[0]![2] = NaN
    b.max[1]![2] = NaN
    expect(rowsWithData(b)).toBe(2)
  })
})
