import { useEffect, useState } from 'react'
import { fromLocalInput, toLocalInput } from '../../charts/time-text.ts'

export interface StoredSpan {
  assetId: string
  from: number | null
  to: number | null
}

export interface AssetRange {
  assetId: string
  from: number
  to: number
}

const SPANS = [
  { label: 'last 10 min', ms: 600_000 },
  { label: 'last 1 h', ms: 3_600_000 },
  { label: 'last 24 h', ms: 86_400_000 },
] as const

/**
 * An asset and a range of its stored history: typed as local date and time, or one of the
 * last stretches before its newest sample. Calls onChange with a valid range or null.
 */
export function RangeFields(p: {
  stored: StoredSpan[]
  idPrefix: string
  onChange(r: AssetRange | null): void
}) {
  const [assetId, setAssetId] = useState(p.stored[0]?.assetId ?? '')
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const span = p.stored.find((s) => s.assetId === assetId)
  const last = (ms: number) => {
    if (span?.to == null) return
    setFrom(toLocalInput(Math.max(span.from ?? -Infinity, span.to - ms)))
    // Minutes are what the input holds: round the end up so the newest sample is inside.
    setTo(toLocalInput(span.to + 60_000))
  }
  useEffect(() => {
    if (!assetId && p.stored[0]) setAssetId(p.stored[0].assetId)
  }, [p.stored])
  useEffect(() => {
    if (!from && span?.to != null) last(3_600_000)
  }, [span?.to])
  useEffect(() => {
    const a = fromLocalInput(from)
    const b = fromLocalInput(to)
    p.onChange(assetId && a !== null && b !== null && a < b ? { assetId, from: a, to: b } : null)
  }, [assetId, from, to])
  return (
    <div className="range-fields">
      <label className="field">
        Asset
        <select value={assetId} onChange={(e) => setAssetId(e.target.value)} id={`${p.idPrefix}-asset`}>
          {p.stored.map((s) => (
            <option key={s.assetId}>{s.assetId}</option>
          ))}
        </select>
      </label>
      <label className="field">
        From
        <input
          type="datetime-local"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
          aria-label="From"
        />
      </label>
      <label className="field">
        To
        <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} aria-label="To" />
      </label>
      <span className="range-quick">
        {SPANS.map((s) => (
          <button
            key={s.label}
            type="button"
            className="small"
            disabled={span?.to == null}
            onClick={() => last(s.ms)}
          >
            {s.label}
          </button>
        ))}
      </span>
    </div>
  )
}
