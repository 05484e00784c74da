import type { ModelCard } from '../../../shared/model-card.ts'
import type { PredictionPoint } from '../../state/prediction-store.ts'

/*
 * The Quality view's figures: each member and the ensemble of a defect card, as its training
 * measured them on the test casts (model.json metrics), and the casts judged live.
 */

export interface ReliabilityBin {
  bin: [number, number]
  casts: number
  meanPredicted: number | null
  observedRate: number | null
}

export interface ModelFigures {
  /** The card's name for it: "xgboost", "lstm", "ensemble". */
  key: string
  label: string
  rocAuc: number
  prAuc: number
  f1: number
  precision: number
  recall: number
  brier: number
  logLoss: number
  threshold: number
  reliability: ReliabilityBin[]
}

const LABELS: Record<string, string> = {
  xgboost: 'XGBoost baseline (per-cast features)',
  lstm: 'LSTM (cast sequence)',
  ensemble: 'Ensemble (weighted)',
}
const NUMBERS = ['rocAuc', 'prAuc', 'f1', 'precision', 'recall', 'brier', 'logLoss', 'threshold'] as const

/**
 * Each member's and the ensemble's test figures, members first. Throws naming the card's
 * field when one is missing or not a number: a card the view cannot read should say where.
 */
export function defectFigures(card: ModelCard): ModelFigures[] {
  const members = Object.keys(card.outputs.members ?? {})
  const out: ModelFigures[] = []
  for (const key of [...members, 'ensemble']) {
    const m = card.metrics[key] as Record<string, unknown> | undefined
    const where = `model "${card.id}" model.json metrics.${key}`
    if (!m || typeof m !== 'object') throw new Error(`${where}: missing`)
    const num = (k: (typeof NUMBERS)[number]) => {
      const v = m[k]
      if (typeof v !== 'number') throw new Error(`${where}.${k}: not a number (${JSON.stringify(v)})`)
      return v
    }
    const rel = m.reliability
    if (!Array.isArray(rel)) throw new Error(`${where}.reliability: not a list`)
    out.push({
      key,
      label: LABELS[key] ?? key,
      ...(Object.fromEntries(NUMBERS.map((k) => [k, num(k)])) as Record<(typeof NUMBERS)[number], number>),
      reliability: rel as ReliabilityBin[],
    })
  }
  return out
}

/** The card's test facts in words: casts, base rate, the ensemble's weights. */
export function defectFacts(card: ModelCard): {
  casts: number | null
  baseRate: number | null
  weights: string
} {
  const m = card.metrics as Record<string, unknown>
  const base = m.baseRate as { test?: number } | undefined
  const w = m.ensembleWeight as Record<string, unknown> | undefined
  const weights = w
    ? Object.entries(w)
        .filter(([, v]) => typeof v === 'number')
        .map(([k, v]) => `${k} ${(v as number).toFixed(2)}`)
        .join(', ')
    : ''
  return {
    casts: typeof m.testCasts === 'number' ? m.testCasts : null,
    baseRate: typeof base?.test === 'number' ? base.test : null,
    weights,
  }
}

/** The best value of each figure among the models: highest, or lowest for the losses. */
export function bestOf(figures: ModelFigures[], k: keyof ModelFigures): number {
  const lower = k === 'brier' || k === 'logLoss'
  const vs = figures.map((f) => f[k] as number)
  return lower ? Math.min(...vs) : Math.max(...vs)
}

/** Live casts newest first, and the share flagged. */
export function castSummary(points: PredictionPoint[]): {
  newestFirst: PredictionPoint[]
  flaggedShare: number | null
} {
  const judged = points.filter((p) => Number.isFinite(p.value))
  const flagged = judged.filter((p) => p.flagged).length
  return { newestFirst: [...judged].reverse(), flaggedShare: judged.length ? flagged / judged.length : null }
}
