import { VigilError } from '../../src/shared/errors.ts'

/*
 * NASA's C-MAPSS files are headerless rows of 26 space-separated numbers, and the true life of
 * a test engine sits in a separate file (RUL_FD001.txt, the cycles left after its last row).
 * `vigil score` wants named columns and the label in the same file, so this turns them into a
 * CSV: unit, cycle, the card's 14 sensors by name, and rul_true, the cycles left at each row.
 */

/** 1-based C-MAPSS file columns of cmapss-rul's tags, in the card's order (SOURCE.md, Saxena et al. 2008 Table 2). */
export const CMAPSS_COLUMNS: Record<string, number> = {
  T24: 7,
  T30: 8,
  T50: 9,
  P30: 12,
  Nf: 13,
  Nc: 14,
  Ps30: 16,
  phi: 17,
  NRf: 18,
  NRc: 19,
  BPR: 20,
  htBleed: 22,
  W31: 25,
  W32: 26,
}

/** The card's label column: true cycles left at the row (uncapped, as C-MAPSS evaluations compare). */
export const LABEL = 'rul_true'

const FIELDS = 26

/**
 * One C-MAPSS file as CSV text. `rulText` (RUL_FDxxx.txt) gives each engine's cycles left after
 * its last row; without it (a train file, run to failure) the last row has 0 left.
 */
export function cmapssToCsv(text: string, path: string, rulText?: string, rulPath = 'RUL file'): string {
  const rows: number[][] = []
  text.split('\n').forEach((line, k) => {
    if (!line.trim()) return
    const f = line.trim().split(/\s+/).map(Number)
    if (f.length !== FIELDS || f.some((v) => !Number.isFinite(v)))
      throw new VigilError(
        'bad-request',
        `${path}:${k + 1}: expected ${FIELDS} numbers, got "${line.trim()}"`,
      )
    const prev = rows[rows.length - 1]
    // Each engine's cycles run 1, 2, 3, ... without gaps: a gap would make the labels wrong.
    const expected = prev && prev[0] === f[0] ? prev[1]! + 1 : 1
    if (f[1] !== expected)
      throw new VigilError(
        'bad-request',
        `${path}:${k + 1}: unit ${f[0]} cycle ${f[1]}, expected ${expected}`,
      )
    rows.push(f)
  })
  if (!rows.length) throw new VigilError('bad-request', `${path}: no data rows`)
  const lastCycle = new Map<number, number>()
  for (const r of rows) lastCycle.set(r[0]!, r[1]!)
  const after = new Map<number, number>()
  if (rulText !== undefined) {
    const left = rulText.split('\n').filter((l) => l.trim())
    if (left.length !== lastCycle.size)
      throw new VigilError(
        'bad-request',
        `${rulPath}: ${left.length} lines for ${lastCycle.size} engines in ${path}`,
      )
    ;[...lastCycle.keys()].forEach((unit, i) => {
      const v = Number(left[i]!.trim())
      if (!Number.isFinite(v) || v < 0)
        throw new VigilError(
          'bad-request',
          `${rulPath}:${i + 1}: not a number of cycles: "${left[i]!.trim()}"`,
        )
      after.set(unit, v)
    })
  }
  const tags = Object.keys(CMAPSS_COLUMNS)
  const lines = [['unit', 'cycle', ...tags, LABEL].join(',')]
  for (const r of rows) {
    const rul = lastCycle.get(r[0]!)! - r[1]! + (after.get(r[0]!) ?? 0)
    lines.push([r[0], r[1], ...tags.map((t) => r[CMAPSS_COLUMNS[t]! - 1]), rul].join(','))
  }
  return lines.join('\n') + '\n'
}
