import { useState, type FormEvent } from 'react'
import type { FitResult } from '../../../shared/model-channels.ts'
import { call, errorText } from '../../api/index.ts'
import { ModelCardPanel } from './ModelCardPanel.tsx'
import { RangeFields, type AssetRange, type StoredSpan } from './RangeFields.tsx'

type Method = 'pca' | 'ae'

/**
 * Fits a baseline detector (PCA: T² and Q with per-sensor contributions, or a small
 * autoencoder) on a stretch of normal running picked from the stored history, and says
 * plainly whether the running engine scores with it and how to keep it.
 */
export function FitPanel({ stored, mayFit }: { stored: StoredSpan[]; mayFit: boolean }) {
  const [range, setRange] = useState<AssetRange | null>(null)
  const [id, setId] = useState('')
  const [method, setMethod] = useState<Method>('pca')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [fitted, setFitted] = useState<FitResult | null>(null)
  const defaultId = range ? `${range.assetId.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${method}` : ''

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!range) return
    setBusy(true)
    setError(null)
    try {
      setFitted(await call('models.fit', { ...range, method, ...(id.trim() ? { id: id.trim() } : {}) }))
    } catch (err) {
      setError(errorText(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="panel fit-panel" data-testid="fit-panel">
      <h2>Fit a baseline detector</h2>
      <p className="muted">
        Pick a stretch of normal running. Vigil reads its raw samples, leaves out rows with a bad-quality
        value and fits a PCA detector (T² and Q) or a small autoencoder (trained in seconds), each with
        per-sensor contributions and its limit at the 99th percentile of its training scores.
      </p>
      <form onSubmit={(e) => void submit(e)}>
        <RangeFields stored={stored} idPrefix="fit" onChange={setRange} />
        <div className="range-fields">
          <label className="field">
            Method
            <select
              value={method}
              onChange={(e) => setMethod(e.target.value as Method)}
              aria-label="Method"
              data-testid="fit-method"
            >
              <option value="pca">PCA (T² and Q)</option>
              <option value="ae">Autoencoder</option>
            </select>
          </label>
          <label className="field">
            Model id
            <input
              value={id}
              placeholder={defaultId}
              onChange={(e) => setId(e.target.value)}
              aria-label="Model id"
              pattern="[a-z0-9][a-z0-9-]*"
              title="lowercase letters, digits and dashes"
            />
          </label>
          <button type="submit" disabled={!mayFit || !range || busy} data-testid="fit-start">
            {busy ? 'Fitting…' : 'Fit baseline detector'}
          </button>
        </div>
      </form>
      {!mayFit && (
        <p className="muted">Fitting changes the plant’s models: it needs the engineer or admin role.</p>
      )}
      {error && <p className="form-error">{error}</p>}
      {fitted && (
        <div className="fit-result" data-testid="fit-result">
          <p>
            <b>Fitted “{fitted.card.id}”</b> on {fitted.rows.toLocaleString()} rows
            {fitted.skippedRows > 0 &&
              ` (${fitted.skippedRows.toLocaleString()} left out for a bad or missing value)`}
            :{' '}
            {fitted.card.pca
              ? `${fitted.card.pca.components} of ${fitted.card.inputs.tags.length} components explain ` +
                `${(fitted.card.pca.explainedVariance * 100).toFixed(1)} % of the variance`
              : `an autoencoder scoring ${fitted.card.inputs.window}-row windows of ${fitted.card.inputs.tags.length} tags`}
            ; on its own training data it flags{' '}
            {(Number(fitted.card.metrics.trainingAlarmRate ?? 0) * 100).toFixed(2)} %.
          </p>
          <p className="fit-next" data-testid="fit-next">
            {fitted.message}
          </p>
          <ModelCardPanel
            card={fitted.card}
            usedBy={
              fitted.active && typeof fitted.card.training.assetId === 'string'
                ? [fitted.card.training.assetId]
                : []
            }
            pending={!fitted.active}
          />
        </div>
      )}
    </section>
  )
}
