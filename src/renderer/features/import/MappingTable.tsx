import type { ImportMapping, ImportPreview } from '../../../shared/import.ts'
import { editColumn, timeColumns, TYPE_WORDS } from './wizard-model.ts'

const num = (s: string) => (s.trim() === '' ? undefined : Number(s))

/**
 * One row per file column: its detected type and first values, and the tag it feeds (name,
 * unit, valid range). A column left without a tag is not imported; the time column feeds the
 * rows' times.
 */
export function MappingTable(props: {
  preview: ImportPreview
  mapping: ImportMapping
  /** The target asset's tags, when it exists: a column can feed one of them or a new tag. */
  tags: string[]
  onChange(m: ImportMapping): void
}) {
  const { preview, mapping, tags, onChange } = props
  const time = new Set(timeColumns(mapping.time))
  return (
    <table className="grid import-mapping" data-testid="import-mapping">
      <thead>
        <tr>
          <th>Column</th>
          <th>Detected</th>
          <th>First values</th>
          <th>Tag</th>
          <th>Unit</th>
          <th>Min</th>
          <th>Max</th>
        </tr>
      </thead>
      <tbody>
        {preview.columns.map((c) => {
          const m = mapping.columns.find((x) => x.column === c.column)
          const set = (edit: Parameters<typeof editColumn>[2]) =>
            onChange(editColumn(mapping, c.column, edit))
          const sample = preview.rows
            .slice(0, 3)
            .map((r) => r[c.column] ?? '')
            .join(' · ')
          return (
            <tr key={c.column} className={m?.tag ? '' : 'import-unmapped'}>
              <th scope="row">{c.header}</th>
              <td>{time.has(c.column) ? `${TYPE_WORDS[c.type]} (time)` : TYPE_WORDS[c.type]}</td>
              <td className="import-sample">{sample}</td>
              <td>
                {time.has(c.column) || !m ? (
                  <span className="muted">{time.has(c.column) ? 'row time' : '—'}</span>
                ) : (
                  <>
                    <input
                      list={`import-tags-${c.column}`}
                      value={m.tag ?? ''}
                      placeholder="leave out"
                      aria-label={`tag for ${c.header}`}
                      onChange={(e) => set({ tag: e.target.value.trim() })}
                    />
                    <datalist id={`import-tags-${c.column}`}>
                      {tags.map((t) => (
                        <option key={t} value={t} />
                      ))}
                    </datalist>
                  </>
                )}
              </td>
              {(['unit', 'min', 'max'] as const).map((k) => (
                <td key={k}>
                  {m?.tag && (
                    <input
                      className={k === 'unit' ? 'import-unit' : 'import-num'}
                      value={m[k] === undefined ? '' : String(m[k])}
                      inputMode={k === 'unit' ? 'text' : 'decimal'}
                      aria-label={`${k} of ${c.header}`}
                      onChange={(e) =>
                        set(k === 'unit' ? { unit: e.target.value } : { [k]: num(e.target.value) })
                      }
                    />
                  )}
                </td>
              ))}
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}
