import { SensorState } from '../../shared/samples.ts'

/** Enough digits to read a change at a glance, never a wall of decimals. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return '—'
  const a = Math.abs(v)
  if (a >= 1000) return v.toFixed(0)
  if (a >= 100) return v.toFixed(1)
  if (a >= 10) return v.toFixed(2)
  return v.toFixed(3)
}

export const formatScore = (v: number): string => (Number.isFinite(v) ? v.toPrecision(3) : '—')

/** Sensor state codes as the pump design names them; 255 is a tag the model does not read. */
export function sensorStateName(code: number | undefined): string {
  switch (code) {
    case SensorState.NORMAL:
      return 'NORMAL'
    case SensorState.ANOMALOUS:
      return 'ANOMALOUS'
    case SensorState.CRITICAL:
      return 'CRITICAL'
    case SensorState.BAD_DATA:
      return 'BAD DATA'
    default:
      return '—'
  }
}

/** Clock time of a sample, to the second. Simulated time can run ahead of the wall clock. */
export const formatTime = (t: number): string =>
  Number.isFinite(t) ? new Date(t).toLocaleTimeString(undefined, { hour12: false }) : '—'

export function formatDuration(s: number): string {
  if (s < 60) return `${Math.round(s)} s`
  if (s < 3600) return `${Math.round(s / 60)} min`
  if (s < 86400) return `${(s / 3600).toFixed(1)} h`
  return `${(s / 86400).toFixed(1)} d`
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`
  return `${(n / 1024 ** 3).toFixed(2)} GiB`
}
