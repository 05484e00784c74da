import { useState, type FormEvent } from 'react'
import type { Annotation } from '../../../shared/history-channels.ts'
import { call, errorText } from '../../api/index.ts'
import { formatDateTime } from '../../charts/time-text.ts'
import { can, useAuth } from '../../state/auth-store.ts'

export interface AnnotationPanelProps {
  assetId: string
  annotations: Annotation[]
  /** The moment picked on a chart; a note is pinned there. */
  picked: number | null
  onPick(t: number): void
  onAdded(): void
}

/** The notes pinned to the range, and a form to pin one at the picked moment. */
export function AnnotationPanel(p: AnnotationPanelProps) {
  const principal = useAuth((s) => s.principal)
  const [text, setText] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const may = can(principal, 'alarm.ack')

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (p.picked === null) return
    setBusy(true)
    try {
      await call('history.annotate', { assetId: p.assetId, t: p.picked, text: text.trim() })
      setText('')
      setError(null)
      p.onAdded()
    } catch (err) {
      setError(errorText(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="panel history-notes" data-testid="annotations">
      <h2>Annotations</h2>
      {p.annotations.length === 0 ? (
        <p className="muted">None in this range.</p>
      ) : (
        <ol className="note-list">
          {p.annotations.map((a) => (
            <li key={a.id}>
              <button type="button" className="link note-time" onClick={() => p.onPick(a.t)}>
                {formatDateTime(a.t)}
              </button>
              <span className="note-text">{a.text}</span>
              <span className="muted note-by">{a.by}</span>
            </li>
          ))}
        </ol>
      )}
      {may ? (
        <form className="note-form" onSubmit={(e) => void submit(e)}>
          <p className={p.picked === null ? 'muted' : ''} data-testid="picked-time">
            {p.picked === null ? 'Click a chart to choose the moment.' : `At ${formatDateTime(p.picked)}`}
          </p>
          <input
            aria-label="Annotation"
            placeholder="What happened"
            value={text}
            maxLength={500}
            onChange={(e) => setText(e.target.value)}
          />
          <button type="submit" disabled={busy || p.picked === null || !text.trim()}>
            Add note
          </button>
        </form>
      ) : (
        <p className="muted">Operators and engineers may annotate; your role may not.</p>
      )}
      {error && <p className="form-error">{error}</p>}
    </section>
  )
}
