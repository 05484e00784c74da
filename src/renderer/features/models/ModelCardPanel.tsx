import type { ModelCard } from '../../../shared/model-card.ts'
import { formatScore } from '../../state/format.ts'
import { contributionDefinition, flatten, headlineMetrics, tagRows, type Fact } from './card-facts.ts'

function Facts({ facts }: { facts: Fact[] }) {
  return (
    <table className="kv facts">
      <tbody>
        {facts.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

export interface ModelCardPanelProps {
  card: ModelCard
  /** Assets of this plant it scores. */
  usedBy: string[]
  /** A model fitted in this session that the running engine does not serve yet. */
  pending?: boolean
}

/** One model's card: what it reads, how it decides, what it was trained on, how well it did. */
export function ModelCardPanel({ card, usedBy, pending }: ModelCardPanelProps) {
  const { inputs } = card
  const facts: Fact[] = [
    [
      'Scores',
      pending
        ? 'nothing yet: used after a restart, once listed in an asset’s models'
        : usedBy.join(', ') || 'no asset of this plant',
    ],
    [
      'Reads',
      `${inputs.tags.length} tags × ${inputs.window} ${inputs.window === 1 ? 'sample' : 'samples'} per window`,
    ],
    ['Threshold', `${formatScore(card.threshold.value)}: ${card.threshold.method}`],
    ['Contributions', contributionDefinition(card)],
    ['Training data', typeof card.training.data === 'string' ? card.training.data : '—'],
    ...headlineMetrics(card),
  ]
  return (
    <article className="panel model-card" data-testid={`model-${card.id}`}>
      <header>
        <h2>{card.id}</h2>
        <span className="muted">
          v{card.version} · {card.kind} · {card.assetClass}
        </span>
        {pending && <span className="pill">not running</span>}
      </header>
      <p>{card.description}</p>
      <Facts facts={facts} />
      <details>
        <summary>Tags ({inputs.tags.length})</summary>
        <table className="grid">
          <thead>
            <tr>
              <th>Tag</th>
              <th>Scaled over</th>
              <th>Normal</th>
            </tr>
          </thead>
          <tbody>
            {tagRows(card).map((r) => (
              <tr key={r.tag}>
                <td>{r.tag}</td>
                <td className="num">{r.range}</td>
                <td className="num">{r.normal}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <details>
        <summary>Training</summary>
        <Facts facts={flatten(card.training)} />
      </details>
      <details>
        <summary>All metrics</summary>
        <Facts facts={flatten(card.metrics, ['contributions'])} />
      </details>
      <p className="muted sha">sha256 {card.sha256}</p>
    </article>
  )
}
