import type { SourceStatus } from '../../../shared/samples.ts'

/** One source as the sources table shows it: words and numbers, colour only for what is wrong. */
export interface SourceRow {
  key: string
  assetId: string
  kind: string
  state: string
  /** '' for a healthy source; a warning or critical cell class otherwise (ISA-101: grey unless abnormal). */
  tone: '' | 'cell-warning' | 'cell-critical'
  message: string
  rate: string
  lastSample: string
  lastError: string
}

/** "12.0/s", "0.25/s", "—" when the source says nothing of its rate. */
export function formatRate(perS: number | undefined): string {
  if (perS === undefined || !Number.isFinite(perS)) return '—'
  return `${perS >= 10 ? perS.toFixed(0) : perS >= 1 ? perS.toFixed(1) : perS.toFixed(2)}/s`
}

/** How long ago, from the viewer's clock: simulated time running ahead reads as "ahead". */
export function formatAge(t: number | undefined, now: number): string {
  if (t === undefined || !Number.isFinite(t)) return 'none yet'
  const s = (now - t) / 1000
  if (s < -1) return `${fmt(-s)} ahead (simulated time)`
  if (s < 1) return 'just now'
  return `${fmt(s)} ago`
}

function fmt(s: number): string {
  if (s < 60) return `${Math.round(s)} s`
  if (s < 3600) return `${Math.round(s / 60)} min`
  if (s < 86400) return `${(s / 3600).toFixed(1)} h`
  return `${(s / 86400).toFixed(1)} d`
}

export function sourceRows(sources: SourceStatus[], now: number): SourceRow[] {
  return sources
    .filter((s) => s.assetId !== 'system')
    .map((s) => ({
      key: `${s.assetId}/${s.kind}`,
      assetId: s.assetId,
      kind: s.kind,
      state: s.state,
      tone:
        s.state === 'running'
          ? ''
          : s.state === 'failed'
            ? 'cell-critical'
            : s.state === 'stopped'
              ? ''
              : 'cell-warning',
      message: s.message ?? '',
      rate: formatRate(s.samplesPerS),
      lastSample: formatAge(s.lastSampleAt, now),
      lastError: s.lastError ? `${s.lastError.message} (${formatAge(s.lastError.at, now)})` : '',
    }))
}
