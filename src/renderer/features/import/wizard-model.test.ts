import { describe, expect, it } from 'vitest'
import type { ImportMapping, ImportProgress } from '../../../shared/import.ts'
import { durationText, editColumn, mappingProblems, progressText, reportFileName } from './wizard-model.ts'

const mapping: ImportMapping = {
  version: 1,
  shape: '0123456789abcdef',
  assetId: 'line-2',
  format: { encoding: 'utf-8', delimiter: ',', decimal: '.', headerRows: 1 },
  time: { kind: 'datetime', column: 0, order: 'ymd', utcOffsetMin: 0 },
  columns: [
    { column: 0, source: 'time', tag: null, unit: '' },
    { column: 1, source: 'flow rate', tag: 'flow_rate', unit: '' },
    { column: 2, source: 'temp', tag: 'temp', unit: '' },
  ],
}

describe('the import wizard', () => {
  it('edits one column of the mapping and leaves a cleared tag out', () => {
    const m = editColumn(mapping, 1, { tag: '', unit: 'L/min' })
    expect(m.columns[1]).toEqual({ column: 1, source: 'flow rate', tag: null, unit: 'L/min' })
    expect(m.columns[2]).toBe(mapping.columns[2])
    expect(editColumn(mapping, 2, { min: NaN, max: 90 }).columns[2]).toEqual({
      column: 2,
      source: 'temp',
      tag: 'temp',
      unit: '',
      max: 90,
    })
  })

  it('names what stops a mapping from starting', () => {
    expect(mappingProblems(mapping)).toEqual([])
    const bad = editColumn(editColumn(mapping, 1, { tag: '2x', min: 5, max: 1 }), 0, { tag: 'temp' })
    expect(mappingProblems(bad)).toEqual([
      'time holds the time and cannot also feed a tag.',
      'flow rate: "2x" is not a tag id (a letter first, then letters, digits or _).',
      'flow rate: min must be below max.',
      'Tag "temp" is fed by two columns.',
    ])
    expect(
      mappingProblems({ ...mapping, columns: mapping.columns.map((c) => ({ ...c, tag: null })) }),
    ).toEqual(['Map at least one column to a tag.'])
  })

  it('says how far an import is, how fast it goes and how long it has left', () => {
    const p: ImportProgress = {
      jobId: 'j',
      file: '/data/a.csv',
      assetId: 'a',
      state: 'running',
      bytesRead: 250,
      bytesTotal: 1000,
      rows: 1_234_567,
      rejected: 3,
      rowsPerS: 456_789.4,
      etaS: 75,
      startedAt: 0,
    }
    expect(progressText(p)).toBe(
      `25% · ${(1_234_567).toLocaleString()} rows · ${(456_789).toLocaleString()} rows/s, 1 min left · 3 rejected`,
    )
    expect(durationText(3725)).toBe('1 h 02 min')
    expect(durationText(null)).toBe('—')
    expect(reportFileName('C:\\logs\\pump 3.csv')).toBe('pump 3.import-report.csv')
  })
})
