/*
 * Point-wise detection counts and the figures benchmarks publish from them, with SKAB's
 * definitions (waico/SKAB core/metrics.py): F1 = TP / (TP + (FP + FN) / 2),
 * FAR = FP / (FP + TN), MAR = FN / (FN + TP), both in %. Counts add, so files are pooled by
 * summing their counts, as that benchmark's leaderboard does.
 */

export interface Confusion {
  tp: number
  fp: number
  fn: number
  tn: number
}

export const emptyConfusion = (): Confusion => ({ tp: 0, fp: 0, fn: 0, tn: 0 })

/** Adds rows [from, to) to c: alarm[i] vs label[i] > 0.5; rows whose score was NaN count as no alarm. */
export function countDetections(
  c: Confusion,
  alarm: ArrayLike<number>,
  label: ArrayLike<number>,
  from = 0,
  to = alarm.length,
): Confusion {
  for (let i = from; i < to; i++) {
    const a = alarm[i]! > 0
    const y = label[i]! > 0.5
    if (a && y) c.tp++
    else if (a) c.fp++
    else if (y) c.fn++
    else c.tn++
  }
  return c
}

export interface DetectionFigures {
  f1: number
  /** False-alarm rate, %. */
  far: number
  /** Missed-alarm rate, %. */
  mar: number
  /** Detection rate (recall), %: TEP's FDR. */
  detectionRate: number
}

export function detectionFigures(c: Confusion): DetectionFigures {
  const pos = c.tp + c.fn
  const neg = c.fp + c.tn
  return {
    f1: c.tp + c.fp + c.fn > 0 ? c.tp / (c.tp + (c.fp + c.fn) / 2) : 1,
    far: neg > 0 ? (100 * c.fp) / neg : 0,
    mar: pos > 0 ? (100 * c.fn) / pos : 0,
    detectionRate: pos > 0 ? (100 * c.tp) / pos : 0,
  }
}

export function formatFigures(c: Confusion): string {
  const f = detectionFigures(c)
  return (
    `TP ${c.tp}  FP ${c.fp}  FN ${c.fn}  TN ${c.tn}\n` +
    `F1 ${f.f1.toFixed(3)}  FAR ${f.far.toFixed(2)} %  MAR ${f.mar.toFixed(2)} %`
  )
}
