import type { MaintenanceEvent } from '../../../shared/alarms.ts'

/** 67500 INR as "₹67,500" (Indian digit grouping for INR: ₹1,23,45,000), other currencies by code. */
export function formatCost(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat(currency === 'INR' ? 'en-IN' : undefined, {
      style: 'currency',
      currency,
      maximumFractionDigits: 0,
    }).format(amount)
  } catch {
    // A currency code Intl does not know still reads plainly.
    return `${Math.round(amount).toLocaleString()} ${currency}`
  }
}

export interface TimelineDay {
  /** YYYY-MM-DD in the viewer's time zone. */
  day: string
  events: MaintenanceEvent[]
}

const dayOf = (t: number) => {
  const d = new Date(t)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

/** Newest day first, newest event first within a day. */
export function timeline(events: MaintenanceEvent[]): TimelineDay[] {
  const days = new Map<string, MaintenanceEvent[]>()
  for (const e of [...events].sort((a, b) => b.openedAt - a.openedAt || b.id - a.id)) {
    const k = dayOf(e.openedAt)
    const list = days.get(k) ?? []
    list.push(e)
    days.set(k, list)
  }
  return [...days].map(([day, list]) => ({ day, events: list }))
}

/** Open cost and counts per severity, for the head of the view. */
export function totals(events: MaintenanceEvent[]): { open: number; openCost: number; resolvedCost: number } {
  let open = 0
  let openCost = 0
  let resolvedCost = 0
  for (const e of events)
    if (e.status === 'open') {
      open++
      openCost += e.cost
    } else resolvedCost += e.cost
  return { open, openCost, resolvedCost }
}
