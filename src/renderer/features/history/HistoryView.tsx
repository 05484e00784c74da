import { useCallback, useEffect, useMemo, useState } from 'react'
import type { HistoryStats } from '../../../shared/contract.ts'
import { call, errorText } from '../../api/index.ts'
import { HistoryChart } from '../../charts/HistoryChart.tsx'
import { formatDateTime } from '../../charts/time-text.ts'
import { download } from '../../shell/download.ts'
import { href } from '../../shell/router.ts'
import type { ViewProps } from '../../shell/view.ts'
import { refreshPrincipal } from '../../state/auth-store.ts'
import { useSession } from '../../state/use-live.ts'
import { AnnotationPanel } from './AnnotationPanel.tsx'
import { anomalousWindows, rowsWithData, scoreChart, tagCharts, type TagMeta } from './chart-specs.ts'
import { HistoryToolbar } from './HistoryToolbar.tsx'
import {
  compareShift,
  COMPARES,
  presetRange,
  zoomTo,
  type CompareId,
  type PresetId,
  type TimeRange,
} from './history-range.ts'
import { TagPicker } from './TagPicker.tsx'
import { useAnnotations, useHistoryData } from './use-history-data.ts'
import { usePlotWidth } from './use-plot-width.ts'
import './history.css'

type StoredAssets = HistoryStats['assets']

/** Every asset the store holds, with its time span (imported assets are not in the plant). */
function useStoredAssets(): {
  stored: StoredAssets | null
  reload(): Promise<StoredAssets>
  error: string | null
} {
  const [stored, setStored] = useState<StoredAssets | null>(null)
  const [error, setError] = useState<string | null>(null)
  const reload = useCallback(async () => {
    try {
      const s = await call('history.stats', {})
      setStored(s.assets)
      return s.assets
    } catch (e) {
      setError(errorText(e))
      setStored((prev) => prev ?? [])
      return []
    }
  }, [])
  useEffect(() => {
    void reload()
  }, [reload])
  return { stored, reload, error }
}

/** Look back: any tags over any range, zoomed by the decimating range query, compared, annotated, exported. */
export function HistoryView({ params }: ViewProps) {
  const plant = useSession((s) => s.plant)
  const { stored, reload, error: statsError } = useStoredAssets()
  const assetIds = [
    ...new Set([...(plant?.assets ?? []).map((a) => a.id), ...(stored ?? []).map((a) => a.assetId)]),
  ]
  const assetId = params[0] ?? assetIds[0] ?? ''
  const plantAsset = plant?.assets.find((a) => a.id === assetId)
  const newestOf = (s: StoredAssets | null) => s?.find((a) => a.assetId === assetId)?.to ?? null

  const [preset, setPreset] = useState<PresetId>('1h')
  const [range, setRange] = useState<TimeRange | null>(null)
  const [back, setBack] = useState<TimeRange[]>([])
  const [compare, setCompare] = useState<CompareId>('none')
  const [chosen, setChosen] = useState<string[] | null>(null)
  const [picked, setPicked] = useState<number | null>(null)
  const [notes, setNotes] = useState(0)
  const [seenTags, setSeenTags] = useState<string[]>([])
  const [exportError, setExportError] = useState<string | null>(null)
  const [plotRef, points] = usePlotWidth()

  // The first range: the last hour of the asset's stored data, once the store has said where that is.
  useEffect(() => {
    if (range === null && stored !== null) setRange(presetRange(3_600_000, newestOf(stored)))
  }, [stored])

  const meta: TagMeta[] = useMemo(
    () =>
      plantAsset
        ? plantAsset.tags.map((t) => ({ id: t.id, label: t.name ?? t.id, unit: t.unit }))
        : seenTags.map((id) => ({ id, label: id, unit: '' })),
    [plantAsset, seenTags],
  )
  const shift = range ? compareShift(compare, range) : 0
  const query =
    range && assetId && points > 0
      ? { assetId, tags: chosen ?? undefined, from: range.from, to: range.to, points, shift }
      : null
  const { data, loading, error } = useHistoryData(query)
  const { annotations } = useAnnotations(assetId, range?.from ?? 0, range?.to ?? 0, notes)

  useEffect(() => {
    if (data && data.query.tags === undefined) setSeenTags(data.block.tags)
  }, [data])
  useEffect(() => {
    void refreshPrincipal().catch(() => {})
  }, [])

  const go = useCallback(
    (next: TimeRange, p: PresetId = 'custom') => {
      if (range) setBack((b) => [...b.slice(-19), range])
      setRange(next)
      setPreset(p)
    },
    [range],
  )
  const onZoom = useCallback((a: number, b: number) => go(zoomTo(a, b)), [go])
  const suffix = COMPARES.find((c) => c.id === compare)!.suffix

  const charts = useMemo(() => {
    if (!data) return []
    const before = data.before ? { block: data.before, shift: data.query.shift, suffix } : undefined
    return [...data.scores.map(scoreChart), ...tagCharts(data.block, meta, before)]
  }, [data, meta, suffix])
  const marks = useMemo(() => annotations.map((a) => ({ t: a.t, to: a.to, text: a.text })), [annotations])

  const exportCsv = async () => {
    if (!range) return
    try {
      const r = await call('history.export', { assetId, ...(chosen ? { tags: chosen } : {}), ...range })
      download(r.filename, r.csv)
      setExportError(null)
    } catch (e) {
      setExportError(errorText(e))
    }
  }

  if (!assetId)
    return (
      <p className="empty">{stored === null ? 'Reading the history…' : 'No asset has any history yet.'}</p>
    )
  const anomalies = data ? data.scores.reduce((n, s) => n + anomalousWindows(s), 0) : 0
  return (
    <section className="history" data-testid="history-view">
      <HistoryToolbar
        assetIds={assetIds}
        assetId={assetId}
        onAsset={(id) => (window.location.hash = href('history', id))}
        preset={preset}
        range={range}
        onPreset={async (ms, id) => go(presetRange(ms, newestOf(await reload())), id)}
        onRange={(r) => go(r)}
        canGoBack={back.length > 0}
        onBack={() => {
          setRange(back.at(-1) ?? range)
          setBack((b) => b.slice(0, -1))
          setPreset('custom')
        }}
        compare={compare}
        onCompare={setCompare}
        onExport={() => void exportCsv()}
      />
      <p className="history-status" data-testid="history-status" data-loading={loading ? 'yes' : 'no'}>
        {data ? (
          <>
            <span>
              {formatDateTime(data.query.from)} → {formatDateTime(data.query.to)}
            </span>
            <span data-testid="history-resolution">
              {data.block.raw
                ? `raw: ${data.block.t.length.toLocaleString()} samples`
                : `min–max of ${data.block.t.length.toLocaleString()} buckets per tag`}
            </span>
            {data.before && (
              <span data-testid="history-compared">
                compared with {formatDateTime(data.query.from - data.query.shift)} →{' '}
                {formatDateTime(data.query.to - data.query.shift)}:{' '}
                {rowsWithData(data.before).toLocaleString()}{' '}
                {data.before.raw ? 'samples' : 'buckets with data'}
              </span>
            )}
            <span>query {data.ms.toFixed(0)} ms</span>
            {anomalies > 0 && (
              <span className="abnormal">{anomalies.toLocaleString()} anomalous windows</span>
            )}
            <span className="muted">Drag across a chart to zoom; click to pick a moment for a note.</span>
          </>
        ) : (
          <span className="muted">{loading ? 'Reading…' : ''}</span>
        )}
      </p>
      {(error || statsError || exportError) && (
        <p className="banner banner-warning" role="alert">
          {error ?? statsError ?? exportError}
        </p>
      )}
      <div className="history-body">
        <div className="history-charts" ref={plotRef}>
          {data?.block.t.length === 0 && <p className="empty">No samples of {assetId} in this range.</p>}
          {charts.map((c, i) => (
            <HistoryChart
              key={c.key}
              testId={`history-chart-${c.key}`}
              title={c.title}
              unit={c.unit}
              lines={c.lines}
              tables={c.tables}
              from={data!.query.from}
              to={data!.query.to}
              marks={marks}
              markLabels={i === 0}
              picked={picked}
              syncKey={`history-${assetId}`}
              height={c.key.startsWith('score:') ? 170 : 200}
              fromZero={c.key.startsWith('score:')}
              onZoom={onZoom}
              onPick={setPicked}
            />
          ))}
        </div>
        <aside className="history-side">
          <TagPicker tags={meta} chosen={chosen} onChange={setChosen} />
          <AnnotationPanel
            assetId={assetId}
            annotations={annotations}
            picked={picked}
            onPick={setPicked}
            onAdded={() => setNotes((n) => n + 1)}
          />
        </aside>
      </div>
    </section>
  )
}
