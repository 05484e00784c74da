/*
 * The figures published for the predictor kinds, so `vigil score` and the training scripts'
 * READMEs compare like with like:
 *   RUL     RMSE, and the PHM08 challenge score (Saxena et al. 2008): per unit d = predicted -
 *           true life, s = e^(-d/13) - 1 when early (d < 0), e^(d/10) - 1 when late, summed;
 *           late predictions cost more because a missed failure costs more than early service.
 *   defect  ROC-AUC (rank statistic, ties counted half) and F1 at the operating threshold.
 * NaN predictions (a missing input) are left out and counted.
 */

export interface RulFigures {
  n: number
  rmse: number
  score: number
  /** Mean of predicted - true: below 0 early, above 0 late. */
  bias: number
  skipped: number
}

export function rulFigures(pred: ArrayLike<number>, truth: ArrayLike<number>): RulFigures {
  let n = 0
  let sq = 0
  let score = 0
  let bias = 0
  let skipped = 0
  for (let i = 0; i < pred.length; i++) {
    const d = pred[i]! - truth[i]!
    if (d !== d) {
      skipped++
      continue
    }
    n++
    sq += d * d
    bias += d
    score += d < 0 ? Math.exp(-d / 13) - 1 : Math.exp(d / 10) - 1
  }
  return { n, rmse: n ? Math.sqrt(sq / n) : NaN, score, bias: n ? bias / n : NaN, skipped }
}

/** Area under the ROC curve of scores against 0/1 labels (label > 0.5 positive); NaN with one class only. */
export function rocAuc(score: ArrayLike<number>, label: ArrayLike<number>): number {
  const items: [number, boolean][] = []
  for (let i = 0; i < score.length; i++) if (score[i] === score[i]) items.push([score[i]!, label[i]! > 0.5])
  items.sort((a, b) => a[0] - b[0])
  let pos = 0
  let rankSum = 0
  for (let i = 0; i < items.length;) {
    let j = i
    while (j < items.length && items[j]![0] === items[i]![0]) j++
    // Tied scores share the mean of their ranks (1-based).
    const rank = (i + 1 + j) / 2
    for (let k = i; k < j; k++)
      if (items[k]![1]) {
        pos++
        rankSum += rank
      }
    i = j
  }
  const neg = items.length - pos
  if (pos === 0 || neg === 0) return NaN
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg)
}

export function formatRul(f: RulFigures, what: string): string {
  const skipped = f.skipped ? ` (${f.skipped} without a prediction left out)` : ''
  return `${what}: n ${f.n}  RMSE ${f.rmse.toFixed(2)}  PHM08 score ${f.score.toFixed(1)}  bias ${f.bias.toFixed(2)}${skipped}`
}
