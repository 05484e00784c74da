/*
 * Do the quantities compressor-rul reads the health from track real compressor decay? The UCI
 * naval propulsion data (a validated frigate gas-turbine simulator, 11,934 steady points) grids
 * lever position x compressor decay kMc (0.95-1) x turbine decay kMt (0.975-1). At each lever
 * position this correlates kMc with the compressor's isentropic efficiency computed from T1, T2,
 * P1, P2 (as C-201's performance monitor computes it), its discharge temperature T2 and its
 * pressure ratio P2/P1, over all kMt and at kMt = 1 (compressor decay alone).
 *   node models/compressor-rul/naval-check.ts [data.txt]
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { VigilError } from '../../src/shared/errors.ts'
import { datasetsDir } from '../../src/main/models/fit/skab-benchmark.ts'
import { numericColumn, readCsvTable } from '../../src/main/models/fit/csv-table.ts'

const K = 0.4 / 1.4 // (gamma - 1) / gamma for air

export interface LeverFinding {
  lever: number
  rows: number
  /** Pearson r of kMc with each feature over every kMt; `...Kmt1` at kMt = 1 only. */
  r: { efficiency: number; dischargeT: number; pressureRatio: number }
  rKmt1: { efficiency: number; dischargeT: number; pressureRatio: number }
  /** At kMt = 1, least-squares change per 0.01 of kMc decay (kMc down by 0.01). */
  perDecay: { efficiencyPoints: number; dischargeK: number; pressureRatioPct: number }
}

function pearson(x: number[], y: number[]): number {
  const n = x.length
  const mx = x.reduce((a, b) => a + b, 0) / n
  const my = y.reduce((a, b) => a + b, 0) / n
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my)
    sxx += (x[i]! - mx) ** 2
    syy += (y[i]! - my) ** 2
  }
  return sxy / Math.sqrt(sxx * syy)
}

/** Slope of y on x by least squares. */
function slope(x: number[], y: number[]): number {
  const n = x.length
  const mx = x.reduce((a, b) => a + b, 0) / n
  const my = y.reduce((a, b) => a + b, 0) / n
  let sxy = 0
  let sxx = 0
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my)
    sxx += (x[i]! - mx) ** 2
  }
  return sxy / sxx
}

export async function navalDecayCheck(
  file = join(datasetsDir(), 'naval-gas-turbine', 'data.txt'),
): Promise<LeverFinding[]> {
  const t = await readCsvTable(file)
  if (t.header.length !== 18)
    throw new VigilError('bad-request', `${file}: expected 18 columns (SOURCE.md), found ${t.header.length}`)
  // 1-based columns of SOURCE.md: lp 1, T1 9, T2 10, P1 12, P2 13, kMc 17, kMt 18.
  const [lp, T1, T2, P1, P2, kmc, kmt] = [1, 9, 10, 12, 13, 17, 18].map((c) => numericColumn(t, `col${c}`))
  const byLever = new Map<number, number[]>()
  for (let i = 0; i < t.rows; i++) {
    const key = Math.round(lp![i]! * 1000) / 1000
    byLever.set(key, [...(byLever.get(key) ?? []), i])
  }
  const out: LeverFinding[] = []
  for (const [lever, rows] of [...byLever].sort((a, b) => a[0] - b[0])) {
    const feats = (idx: number[]) => {
      const pr = idx.map((i) => P2![i]! / P1![i]!)
      return {
        k: idx.map((i) => kmc![i]!),
        efficiency: idx.map((i, j) => (T1![i]! * (pr[j]! ** K - 1)) / (T2![i]! - T1![i]!)),
        dischargeT: idx.map((i) => T2![i]!),
        pressureRatio: pr,
      }
    }
    const all = feats(rows)
    const one = feats(rows.filter((i) => kmt![i] === 1))
    const corr = (f: ReturnType<typeof feats>) => ({
      efficiency: pearson(f.k, f.efficiency),
      dischargeT: pearson(f.k, f.dischargeT),
      pressureRatio: pearson(f.k, f.pressureRatio),
    })
    const meanPr = one.pressureRatio.reduce((a, b) => a + b, 0) / one.pressureRatio.length
    out.push({
      lever,
      rows: rows.length,
      r: corr(all),
      rKmt1: corr(one),
      perDecay: {
        efficiencyPoints: -100 * 0.01 * slope(one.k, one.efficiency),
        dischargeK: -0.01 * slope(one.k, one.dischargeT),
        pressureRatioPct: (-100 * 0.01 * slope(one.k, one.pressureRatio)) / meanPr,
      },
    })
  }
  return out
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const f = await navalDecayCheck(process.argv[2])
  const n = (v: number, d = 3) => v.toFixed(d).padStart(7)
  console.log(
    'lever   rows | r(kMc, eff)  r(kMc, T2)  r(kMc, PR) all kMt | same at kMt=1 | per 0.01 kMc decay: eff pts, T2 K, PR %',
  )
  for (const l of f)
    console.log(
      `${n(l.lever)} ${l.rows} | ${n(l.r.efficiency)} ${n(l.r.dischargeT)} ${n(l.r.pressureRatio)} | ` +
        `${n(l.rKmt1.efficiency)} ${n(l.rKmt1.dischargeT)} ${n(l.rKmt1.pressureRatio)} | ` +
        `${n(l.perDecay.efficiencyPoints, 2)} ${n(l.perDecay.dischargeK, 2)} ${n(l.perDecay.pressureRatioPct, 2)}`,
    )
}
