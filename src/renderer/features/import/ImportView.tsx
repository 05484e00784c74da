import { useEffect, useState } from 'react'
import type {
  CsvFormat,
  DateOrder,
  ImportMapping,
  ImportPreview,
  ImportProgress,
} from '../../../shared/import.ts'
import { call, errorText } from '../../api/index.ts'
import type { ViewProps } from '../../shell/view.ts'
import { JobPanel } from './JobPanel.tsx'
import { MappingTable } from './MappingTable.tsx'
import { mappingProblems, TYPE_WORDS } from './wizard-model.ts'
import './import.css'

/** Imported data is history: its rows show date and time, in UTC as the engine reads them. */
const utc = (t: number) => `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} UTC`

const DELIMITERS: [CsvFormat['delimiter'], string][] = [
  [',', 'comma'],
  [';', 'semicolon'],
  ['\t', 'tab'],
  ['|', 'bar'],
  ['whitespace', 'spaces'],
]

/**
 * Import wizard: a file's path (on the machine running the engine), the layout and types the
 * engine detected with its first rows, the mapping of columns to tags (saved and offered again
 * for the next file of the same shape), then the import with progress, cancel and the report.
 */
export function ImportView(_: ViewProps) {
  const [path, setPath] = useState('')
  const [assetId, setAssetId] = useState('')
  const [preview, setPreview] = useState<ImportPreview | null>(null)
  const [mapping, setMapping] = useState<ImportMapping | null>(null)
  const [onBadRow, setOnBadRow] = useState<'skip' | 'abort'>('skip')
  const [job, setJob] = useState<ImportProgress | null>(null)
  const [tags, setTags] = useState<Record<string, string[]>>({})
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    call('plant.describe', {})
      .then((p) => setTags(Object.fromEntries(p.assets.map((a) => [a.id, a.tags.map((t) => t.id)]))))
      .catch(() => {})
  }, [])

  const load = async (extra: { format?: Partial<CsvFormat>; order?: DateOrder } = {}) => {
    setBusy(true)
    setError(null)
    try {
      const p = await call('import.preview', {
        path: path.trim(),
        ...(assetId.trim() ? { assetId: assetId.trim() } : {}),
        ...(extra.format ? { format: { ...preview?.format, ...extra.format } } : {}),
        ...(extra.order ? { order: extra.order } : {}),
      })
      setPreview(p)
      setMapping(p.mapping)
      setAssetId(p.mapping.assetId)
    } catch (e) {
      setError(errorText(e))
    } finally {
      setBusy(false)
    }
  }

  const start = async () => {
    if (!mapping) return
    setBusy(true)
    setError(null)
    try {
      setJob(await call('import.start', { path: path.trim(), mapping, onBadRow }))
    } catch (e) {
      setError(errorText(e))
    } finally {
      setBusy(false)
    }
  }

  if (job) return <JobPanel started={job} onDone={() => setJob(null)} />
  const problems = mapping ? mappingProblems(mapping) : []
  const t = mapping?.time
  return (
    <section className="import" data-testid="import-view">
      <h1>Import a file</h1>
      <form
        className="import-file"
        onSubmit={(e) => {
          e.preventDefault()
          void load()
        }}
      >
        <label>
          File{' '}
          <input
            value={path}
            onChange={(e) => setPath(e.target.value)}
            placeholder="/data/pump-2024-01.csv"
            size={50}
            required
          />
        </label>
        <label>
          Asset{' '}
          <input
            value={assetId}
            onChange={(e) => setAssetId(e.target.value)}
            placeholder="from the file name"
          />
        </label>
        <button type="submit" disabled={busy || !path.trim()}>
          Preview
        </button>
      </form>
      {error && <p className="banner banner-warning">{error}</p>}
      {preview && mapping && (
        <>
          <div className="panel import-format" data-testid="import-format">
            <span>
              {(preview.bytes / 2 ** 20).toFixed(1)} MiB, {preview.format.encoding}
              {preview.quoted ? ', quoted fields' : ''}
            </span>
            <label>
              Delimiter{' '}
              <select
                value={preview.format.delimiter}
                onChange={(e) =>
                  void load({ format: { delimiter: e.target.value as CsvFormat['delimiter'] } })
                }
              >
                {DELIMITERS.map(([d, w]) => (
                  <option key={w} value={d}>
                    {w}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Decimal{' '}
              <select
                value={preview.format.decimal}
                onChange={(e) => void load({ format: { decimal: e.target.value as '.' | ',' } })}
              >
                <option value=".">point</option>
                <option value=",">comma</option>
              </select>
            </label>
            <label>
              Header rows{' '}
              <input
                type="number"
                min={0}
                max={10}
                value={preview.format.headerRows}
                onChange={(e) => void load({ format: { headerRows: Number(e.target.value) } })}
              />
            </label>
            <span className="muted">
              mapping{' '}
              {preview.mappingFrom === 'saved' ? 'saved for files of this shape' : preview.mappingFrom}; asset{' '}
              {preview.assetExists ? 'exists' : 'is new'}
            </span>
          </div>
          {preview.notes.map((n) => (
            <p key={n} className="muted">
              {n}
            </p>
          ))}
          {(t?.kind === 'datetime' || t?.kind === 'date+time') && preview.ambiguousOrder && (
            <fieldset className="import-order" data-testid="import-order">
              <legend>Dates like “{preview.ambiguousOrder.example}” read both ways. Which is it?</legend>
              {(['dmy', 'mdy'] as const).map((o) => (
                <label key={o}>
                  <input
                    type="radio"
                    name="order"
                    checked={t.order === o}
                    onChange={() => void load({ order: o })}
                  />{' '}
                  {o === 'dmy' ? 'day first (31/12)' : 'month first (12/31)'}
                </label>
              ))}
            </fieldset>
          )}
          {t?.kind === 'none' && (
            <div className="import-format">
              <label>
                First row at{' '}
                <input
                  defaultValue={new Date(t.start).toISOString()}
                  onBlur={(e) => {
                    const start = Date.parse(e.target.value)
                    if (Number.isFinite(start)) setMapping({ ...mapping, time: { ...t, start } })
                  }}
                />
              </label>
              <label>
                Rows apart (ms){' '}
                <input
                  type="number"
                  min={1}
                  value={t.periodMs}
                  onChange={(e) =>
                    setMapping({ ...mapping, time: { ...t, periodMs: Number(e.target.value) || 1000 } })
                  }
                />
              </label>
            </div>
          )}
          <h2>First rows</h2>
          <div className="import-rows">
            <table className="grid" data-testid="import-rows">
              <thead>
                <tr>
                  <th>Line</th>
                  <th>Time read</th>
                  {preview.columns.map((c) => (
                    <th key={c.column}>
                      {c.header}
                      <br />
                      <span className="muted">{TYPE_WORDS[c.type]}</span>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((r, i) => (
                  <tr key={i}>
                    <td className="num">{preview.firstLine + i}</td>
                    <td className="num">{preview.times[i] === null ? '—' : utc(preview.times[i]!)}</td>
                    {preview.columns.map((c) => (
                      <td key={c.column}>{r[c.column] ?? ''}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2>Columns to tags of {mapping.assetId}</h2>
          <MappingTable
            preview={preview}
            mapping={mapping}
            tags={tags[mapping.assetId] ?? []}
            onChange={setMapping}
          />
          <div className="import-actions">
            <label>
              Bad rows{' '}
              <select value={onBadRow} onChange={(e) => setOnBadRow(e.target.value as 'skip' | 'abort')}>
                <option value="skip">skip and report them</option>
                <option value="abort">abort the import at the first</option>
              </select>
            </label>
            <button
              type="button"
              disabled={busy || problems.length > 0}
              onClick={() => void start()}
              data-testid="import-start"
            >
              Import
            </button>
          </div>
          {problems.map((p) => (
            <p key={p} className="banner banner-warning">
              {p}
            </p>
          ))}
        </>
      )}
    </section>
  )
}
