import type { TagMeta } from './chart-specs.ts'

export interface TagPickerProps {
  tags: TagMeta[]
  /** null: every tag. */
  chosen: string[] | null
  onChange(chosen: string[] | null): void
}

/** Which of the asset's tags the charts show; an empty choice is refused rather than drawing nothing. */
export function TagPicker({ tags, chosen, onChange }: TagPickerProps) {
  const on = (id: string) => chosen === null || chosen.includes(id)
  const toggle = (id: string) => {
    const next = tags.map((t) => t.id).filter((t) => (t === id ? !on(t) : on(t)))
    if (next.length === 0) return
    onChange(next.length === tags.length ? null : next)
  }
  return (
    <section className="panel tag-picker" data-testid="tag-picker">
      <h2>
        Tags{' '}
        <span className="muted">
          {chosen === null ? tags.length : chosen.length} of {tags.length}
        </span>
      </h2>
      <ul className="plain">
        {tags.map((t) => (
          <li key={t.id}>
            <label>
              <input type="checkbox" checked={on(t.id)} onChange={() => toggle(t.id)} /> {t.label}
              {t.unit && <span className="muted"> {t.unit}</span>}
            </label>
          </li>
        ))}
      </ul>
      <button type="button" className="small" disabled={chosen === null} onClick={() => onChange(null)}>
        Show all
      </button>
    </section>
  )
}
