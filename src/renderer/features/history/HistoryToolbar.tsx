import { useState, type FormEvent } from 'react'
import { fromLocalInput, toLocalInput } from '../../charts/time-text.ts'
import {
  COMPARES,
  pan,
  PRESETS,
  zoomOut,
  type CompareId,
  type PresetId,
  type TimeRange,
} from './history-range.ts'

export interface HistoryToolbarProps {
  assetIds: string[]
  assetId: string
  onAsset(id: string): void
  preset: PresetId
  range: TimeRange | null
  /** A preset ends at the newest stored sample: the view asks the store where that is now. */
  onPreset(ms: number, id: PresetId): void
  onRange(r: TimeRange): void
  canGoBack: boolean
  onBack(): void
  compare: CompareId
  onCompare(c: CompareId): void
  onExport(): void
}

/** Asset, range (presets, custom, earlier/later, zoom out, back), comparison and export. */
export function HistoryToolbar(p: HistoryToolbarProps) {
  const [custom, setCustom] = useState(false)
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [customError, setCustomError] = useState<string | null>(null)
  const openCustom = () => {
    if (p.range) {
      setFrom(toLocalInput(p.range.from))
      setTo(toLocalInput(p.range.to))
    }
    setCustom(true)
  }
  const applyCustom = (e: FormEvent) => {
    e.preventDefault()
    const a = fromLocalInput(from)
    const b = fromLocalInput(to)
    if (a === null || b === null || !(a < b)) {
      setCustomError('Give a start before the end.')
      return
    }
    setCustomError(null)
    p.onRange({ from: a, to: b })
  }
  const r = p.range
  return (
    <>
      <div className="history-head">
        <h1>History</h1>
        <label className="field">
          Asset
          <select value={p.assetId} onChange={(e) => p.onAsset(e.target.value)} data-testid="history-asset">
            {p.assetIds.map((id) => (
              <option key={id}>{id}</option>
            ))}
          </select>
        </label>
        <div className="segmented" role="group" aria-label="Range">
          {PRESETS.map((x) => (
            <button
              key={x.id}
              type="button"
              aria-pressed={p.preset === x.id}
              data-preset={x.id}
              onClick={() => {
                setCustom(false)
                p.onPreset(x.ms, x.id)
              }}
            >
              {x.label}
            </button>
          ))}
          <button type="button" aria-pressed={custom} onClick={openCustom}>
            Custom…
          </button>
        </div>
        <div className="segmented" role="group" aria-label="Move">
          <button
            type="button"
            disabled={!r}
            onClick={() => r && p.onRange(pan(r, -0.5))}
            title="Half a view earlier"
          >
            ◀ Earlier
          </button>
          <button type="button" disabled={!r} onClick={() => r && p.onRange(zoomOut(r))}>
            Zoom out
          </button>
          <button
            type="button"
            disabled={!r}
            onClick={() => r && p.onRange(pan(r, 0.5))}
            title="Half a view later"
          >
            Later ▶
          </button>
          <button type="button" disabled={!p.canGoBack} onClick={p.onBack}>
            Back
          </button>
        </div>
        <label className="field">
          Compare with
          <select
            value={p.compare}
            onChange={(e) => p.onCompare(e.target.value as CompareId)}
            data-testid="history-compare"
          >
            {COMPARES.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="push-right" onClick={p.onExport} data-testid="history-export">
          Export CSV
        </button>
      </div>
      {custom && (
        <form className="history-custom" onSubmit={applyCustom}>
          <label className="field">
            From
            <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label className="field">
            To
            <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
          </label>
          <button type="submit">Show</button>
          {customError && <span className="form-error">{customError}</span>}
        </form>
      )}
    </>
  )
}
