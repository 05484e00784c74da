import { useState } from 'react'
import type { AdviceDecision } from '../../../shared/optimizer-channels.ts'
import type { TagConfig } from '../../../shared/plant.ts'
import type { SetpointAdvice } from '../../../shared/suggestion.ts'
import { call, errorText } from '../../api/index.ts'
import { formatTime } from '../../state/format.ts'
import { decisionFor, marginState, moveText, RISK_SPAN } from './advice-view.ts'

interface Props {
  advice: SetpointAdvice
  tags: TagConfig[]
  decisions: AdviceDecision[]
  /** Called after a decision was recorded, to read the decisions again. */
  decided(): void
}

const MARGIN_CELL = { ok: '', 'at-risk': 'cell-low', outside: 'cell-critical' } as const
const f1 = (v: number) => v.toFixed(1)

/** The newest suggestion of one asset: moves, gain, margins, and the accept / dismiss record. */
export function SuggestionPanel({ advice, tags, decisions, decided }: Props) {
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const s = advice.suggestion
  const tagOf = (id: string) => tags.find((t) => t.id === id)
  const name = (id: string) => tagOf(id)?.name ?? id
  const done = decisionFor(decisions, advice)

  const decide = (decision: 'accept' | 'dismiss') => {
    setBusy(true)
    call('optimizer.decide', {
      assetId: advice.assetId,
      modelId: advice.modelId,
      at: advice.at,
      decision,
      ...(note.trim() ? { note: note.trim() } : {}),
    })
      .then(() => (setError(null), setNote(''), decided()))
      .catch((e: unknown) => setError(errorText(e)))
      .finally(() => setBusy(false))
  }

  return (
    <div className="panel suggestion" data-testid={`suggestion-${advice.assetId}`}>
      <h2>
        {advice.assetId} <span className="muted">advice of {advice.modelId}</span>{' '}
        <span className="muted head-time">data time {formatTime(advice.at)}</span>
      </h2>
      {!s && (
        <p className="no-suggestion" data-testid="no-suggestion">
          {advice.why}
        </p>
      )}
      {s && (
        <>
          <div className="figures gain">
            <div className="figure" data-testid="gain">
              <span className="sub">Power saved by this step</span>
              <b>{s.gain.powerKw.toFixed(0)} kW</b>
              <span className="sub">
                efficiency {s.gain.efficiencyPts >= 0 ? '+' : ''}
                {s.gain.efficiencyPts.toFixed(2)} points
              </span>
            </div>
            <div className="figure">
              <span className="sub">Saved once at the policy's target</span>
              <b>{s.gain.targetPowerKw.toFixed(0)} kW</b>
              <span className="sub">reached over a few steps</span>
            </div>
            <div className="figure">
              <span className="sub">Held: {name(s.duty.tag)}</span>
              <b>
                {f1(s.duty.value)} {s.duty.unit}
              </b>
              <span className="sub">change {s.duty.changePct.toFixed(3)} %</span>
            </div>
          </div>
          <table className="grid" data-testid="moves">
            <thead>
              <tr>
                <th>Setpoint</th>
                <th className="num">This step</th>
                <th className="num">Policy's target</th>
              </tr>
            </thead>
            <tbody>
              {s.moves.map((m) => (
                <tr key={m.tag}>
                  <th>{name(m.tag)}</th>
                  <td className="num">{moveText(m.current, m.suggested, m.unit)}</td>
                  <td className="num">{moveText(m.current, m.target, m.unit)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="grid" data-testid="margins">
            <thead>
              <tr>
                <th>Limit at the new point</th>
                <th className="num">Expected</th>
                <th className="num">Limit</th>
                <th className="num">Margin</th>
                <th className="num">Margin wanted</th>
              </tr>
            </thead>
            <tbody>
              {s.margins.map((m) => {
                const tag = tagOf(m.tag)
                const state = marginState(m, tag)
                return (
                  <tr key={`${m.tag}-${m.side}`} data-state={state}>
                    <th>{name(m.tag)}</th>
                    <td className="num">
                      {f1(m.value)} {m.unit}
                    </td>
                    <td className="num">
                      {m.side} {m.limit} {m.unit}
                    </td>
                    <td className={`num ${MARGIN_CELL[state]}`}>
                      {f1(m.margin)} {m.unit}
                    </td>
                    <td className="num muted">
                      {tag ? `${f1(RISK_SPAN * (tag.max - tag.min))} ${m.unit}` : '—'}
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
          <p className="why">{advice.why}</p>
          {done ? (
            <p className="decided" data-testid="decision">
              {done.decision === 'accept' ? 'Accepted' : 'Dismissed'} by {done.actor} at {formatTime(done.t)}
              {done.note ? `: “${done.note}”` : ''}
            </p>
          ) : (
            <div className="decide">
              <input
                aria-label="Note"
                placeholder="Note for the audit trail (optional)"
                value={note}
                maxLength={500}
                onChange={(e) => setNote(e.target.value)}
              />
              <button type="button" disabled={busy} onClick={() => decide('accept')} data-testid="accept">
                Accept
              </button>
              <button type="button" disabled={busy} onClick={() => decide('dismiss')} data-testid="dismiss">
                Dismiss
              </button>
            </div>
          )}
          {error && <p className="banner banner-warning">{error}</p>}
        </>
      )}
    </div>
  )
}
