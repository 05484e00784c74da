import type { ModelCard } from '../../../shared/model-card.ts'
import { bestOf, defectFacts, defectFigures, type ModelFigures } from './defect-figures.ts'
import { ReliabilityChart } from './ReliabilityChart.tsx'

const COLUMNS: { k: keyof ModelFigures; label: string; digits: number }[] = [
  { k: 'rocAuc', label: 'ROC-AUC', digits: 4 },
  { k: 'prAuc', label: 'PR-AUC', digits: 4 },
  { k: 'f1', label: 'F1', digits: 3 },
  { k: 'precision', label: 'Precision', digits: 3 },
  { k: 'recall', label: 'Recall', digits: 3 },
  { k: 'brier', label: 'Brier', digits: 4 },
  { k: 'logLoss', label: 'Log-loss', digits: 4 },
  { k: 'threshold', label: 'Threshold', digits: 3 },
]

/** Baseline, sequence model and ensemble side by side on the card's test casts, with calibration. */
export function ModelComparison({ card }: { card: ModelCard }) {
  let figures: ModelFigures[]
  try {
    figures = defectFigures(card)
  } catch (e) {
    return <p className="banner banner-warning">{e instanceof Error ? e.message : String(e)}</p>
  }
  const facts = defectFacts(card)
  const ensemble = figures.find((f) => f.key === 'ensemble')!
  return (
    <div className="panel comparison" data-testid="model-comparison">
      <h2>
        Model comparison{' '}
        <span className="muted">
          {card.id} {card.version}, test casts
        </span>
      </h2>
      <table className="grid">
        <thead>
          <tr>
            <th>Model</th>
            {COLUMNS.map((c) => (
              <th key={c.k} className="num">
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {figures.map((f) => (
            <tr key={f.key} data-model={f.key}>
              <th>{f.label}</th>
              {COLUMNS.map((c) => {
                const v = f[c.k] as number
                const best = c.k !== 'threshold' && figures.length > 1 && v === bestOf(figures, c.k)
                return (
                  <td key={c.k} className={`num ${best ? 'best' : ''}`}>
                    {v.toFixed(c.digits)}
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        {facts.casts ?? '?'} unseen test casts
        {facts.baseRate !== null &&
          `, ${(100 * facts.baseRate).toFixed(1)} % defective (a model guessing that rate scores Brier ${(facts.baseRate * (1 - facts.baseRate)).toFixed(4)})`}
        {facts.weights && `; ensemble weights ${facts.weights}, chosen on validation log-loss`}. Best of each
        column in bold. Each member runs its own threshold (its best F1).
      </p>
      <div className="calibration">
        <ReliabilityChart figures={figures} />
        <table className="grid" data-testid="reliability-table">
          <caption>Ensemble calibration by bin of predicted P(defect)</caption>
          <thead>
            <tr>
              <th>Predicted bin</th>
              <th className="num">Casts</th>
              <th className="num">Mean predicted</th>
              <th className="num">Observed rate</th>
            </tr>
          </thead>
          <tbody>
            {ensemble.reliability.map((b) => (
              <tr key={b.bin[0]} className={b.casts === 0 ? 'muted' : ''}>
                <th>
                  {b.bin[0].toFixed(1)}–{b.bin[1].toFixed(1)}
                </th>
                <td className="num">{b.casts}</td>
                <td className="num">{b.meanPredicted === null ? '—' : b.meanPredicted.toFixed(3)}</td>
                <td className="num">{b.observedRate === null ? '—' : b.observedRate.toFixed(3)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}
