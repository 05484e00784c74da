import { describe, expect, it } from 'vitest'
import type { Figure } from './harness.ts'
import { mergeResults, type Run } from './results-file.ts'

const fig = (name: string, value: number): Figure => ({
  name,
  value,
  unit: 'x',
  baseline: 'b',
  baseline_value: 1,
  ratio: value,
})
const run = (over: Partial<Run>): Run => ({
  machine: { cores: 2 },
  started: '2026-11-25T10:00:00.000Z',
  quick: false,
  soak: false,
  seed: 1,
  benches: [],
  figures: [],
  errors: [],
  ...over,
})

describe('mergeResults', () => {
  it('replaces only the benchmarks that ran and keeps when the others were measured', () => {
    const first = mergeResults(
      undefined,
      run({ benches: ['render', 'import'], figures: [fig('render.fps', 59), fig('import.rows', 3)] }),
    )
    const second = mergeResults(
      JSON.parse(JSON.stringify(first)),
      run({
        started: '2026-11-25T11:00:00.000Z',
        quick: true,
        benches: ['import'],
        figures: [fig('import.rows', 5)],
      }),
    )
    expect(second.figures.map((f) => [f.name, f.value, f.measured, f.quick])).toEqual([
      ['render.fps', 59, '2026-11-25T10:00:00.000Z', false],
      ['import.rows', 5, '2026-11-25T11:00:00.000Z', true],
    ])
    expect(second.updated).toBe('2026-11-25T11:00:00.000Z')
  })

  it('keeps a soak’s figures when the same benchmark runs without --soak, and the other way round', () => {
    const soak = mergeResults(
      undefined,
      run({ soak: true, benches: ['load'], figures: [fig('load.rss_slope_soak', 0.2)] }),
    )
    const load = mergeResults(
      JSON.parse(JSON.stringify(soak)),
      run({ benches: ['load'], figures: [fig('load.rss_peak', 341)] }),
    )
    expect(load.figures.map((f) => [f.name, f.soak])).toEqual([
      ['load.rss_slope_soak', true],
      ['load.rss_peak', false],
    ])
    const again = mergeResults(
      JSON.parse(JSON.stringify(load)),
      run({ soak: true, benches: ['load'], figures: [fig('load.rss_slope_soak', 0.1)] }),
    )
    expect(again.figures.map((f) => [f.name, f.value])).toEqual([
      ['load.rss_peak', 341],
      ['load.rss_slope_soak', 0.1],
    ])
  })

  it('drops a benchmark’s old error once it runs again, keeps other benchmarks’ errors', () => {
    const first = mergeResults(
      undefined,
      run({
        benches: ['load', 'score'],
        errors: [
          { bench: 'load', error: 'x' },
          { bench: 'score', error: 'y' },
        ],
      }),
    )
    const second = mergeResults(first, run({ benches: ['load'], figures: [fig('load.rate', 10)] }))
    expect(second.errors.map((e) => e.bench)).toEqual(['score'])
    expect(second.figures.map((f) => f.name)).toEqual(['load.rate'])
  })

  it('starts afresh from a file written before figures carried their time, or not ours', () => {
    for (const previous of [{ figures: [fig('render.fps', 1)], errors: [] }, 'garbage', null, { figures: 3 }])
      expect(mergeResults(previous, run({ benches: ['import'] })).figures).toEqual([])
  })
})
