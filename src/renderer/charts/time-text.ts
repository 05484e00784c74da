/*
 * How times read on and around history charts: local date and time to the second in legends
 * and lists, and the "YYYY-MM-DDTHH:mm" text of <input type="datetime-local"> that picks a range.
 */

const two = (n: number) => (n < 10 ? `0${n}` : String(n))
const day = (d: Date) => `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`

/** Local date and time to the second: "2025-03-09 07:05:00". */
export function formatDateTime(t: number): string {
  if (!Number.isFinite(t)) return '—'
  const d = new Date(t)
  return `${day(d)} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`
}

/** Epoch ms as the local "YYYY-MM-DDTHH:mm" a datetime-local input holds. */
export function toLocalInput(t: number): string {
  const d = new Date(t)
  return `${day(d)}T${two(d.getHours())}:${two(d.getMinutes())}`
}

/** A datetime-local input's text as epoch ms (local time), or null when it is not a time. */
export function fromLocalInput(s: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(s)
  if (!m) return null
  const [y, mo, d, h, mi, sec] = m.slice(1).map((x) => Number(x ?? 0)) as number[]
  const t = new Date(y!, mo! - 1, d!, h!, mi!, sec!).getTime()
  return Number.isFinite(t) ? t : null
}

/**
 * Tick labels of a history chart's time axis, 24-hour clock: seconds only on spans of a few
 * minutes, the date on the first tick and wherever the day changes, and only the date on
 * spans of weeks.
 */
export function axisTimes(splits: number[], span: number): string[] {
  let prevDay = ''
  return splits.map((t) => {
    const d = new Date(t)
    const date = day(d)
    const clock =
      span <= 20 * 60_000
        ? `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`
        : `${two(d.getHours())}:${two(d.getMinutes())}`
    if (span > 10 * 86_400_000) return date
    const label = date !== prevDay ? `${date.slice(5)} ${clock}` : clock
    prevDay = date
    return label
  })
}
