import type { SimilarEvent } from '../../shared/assistant-channels.ts'
import type { MaintenanceEvent } from '../../shared/alarms.ts'
import type { JournalRow } from '../store/record-types.ts'

/** A past model finding: a run of ANOMALY windows and its top sensors. */
export interface Episode {
  from: number
  to: number
  windows: number
  top: string[]
}

/**
 * Tags shared with the finding's key sensors. A one-tag event (an alarm, a work order) is
 * similar when its tag is a key sensor; a past finding with its own top sensors when it
 * shares the lead one, or two.
 */
function shared(keys: string[], tags: string[]): string[] | null {
  const s = keys.filter((k) => tags.includes(k))
  return s.length > 0 && (s.includes(keys[0]!) || s.length >= Math.min(2, tags.length)) ? s : null
}

/** The alarm id's tag: "P-101/Bearing_Temperature_C/HH" -> Bearing_Temperature_C. */
export const alarmTag = (alarmId: string): string | null => {
  const parts = alarmId.split('/')
  return parts.length === 3 && parts[1] !== 'model' ? parts[1]! : null
}

/**
 * Past alarms, work orders and model findings of the asset that involved the same sensors,
 * newest first. `before` excludes the finding itself (its own alarm activation, the work
 * order it opened). Alarm comments written after an activation (until the next one) and
 * work-order resolution notes come along: what people found last time.
 */
export function similarEvents(o: {
  keys: string[]
  before: number
  journal: JournalRow[]
  maintenance: MaintenanceEvent[]
  episodes: Episode[]
  limit?: number
}): SimilarEvent[] {
  const out: SimilarEvent[] = []
  for (const e of o.maintenance) {
    if (e.openedAt >= o.before) continue
    const tags = shared(o.keys, [e.tag])
    if (!tags) continue
    out.push({
      kind: 'maintenance',
      at: e.openedAt,
      until: e.resolvedAt,
      title: `${e.workOrder} ${e.severity}: ${e.message}`,
      tags,
      notes: e.notes,
    })
  }
  const journal = [...o.journal].sort((a, b) => a.t - b.t)
  const activations = journal.filter((j) => j.action === 'activate' && j.t < o.before)
  const notes = new Map<JournalRow, string[]>()
  for (const c of journal) {
    if (c.action !== 'comment' || !c.note) continue
    const mine = activations.filter((a) => a.alarmId === c.alarmId)
    // A comment belongs to the activation it followed. Operators' actions carry the wall clock
    // and activations the data's time, which runs ahead in a sped-up simulation: a comment
    // older than every activation of its alarm goes with the first one.
    const owner = mine.filter((a) => a.t <= c.t).pop() ?? mine[0]
    if (owner) notes.set(owner, [...(notes.get(owner) ?? []), c.note])
  }
  for (const j of activations) {
    const tag = alarmTag(j.alarmId)
    const tags = tag ? shared(o.keys, [tag]) : null
    if (!tags) continue
    const clear = journal.find((k) => k.t >= j.t && k.alarmId === j.alarmId && k.action === 'clear')
    out.push({
      kind: 'alarm',
      at: j.t,
      until: clear?.t ?? null,
      title: `${j.alarmId}${j.value === null ? '' : ` at ${+j.value.toPrecision(4)}`}`,
      tags,
      notes: notes.get(j)?.join(' / ') ?? null,
    })
  }
  for (const ep of o.episodes) {
    if (ep.to > o.before) continue
    const tags = shared(o.keys, ep.top)
    if (!tags) continue
    out.push({
      kind: 'anomaly',
      at: ep.from,
      until: ep.to,
      title: `Model anomaly, ${ep.windows} windows; top sensors ${ep.top.join(', ')}`,
      tags,
      notes: null,
    })
  }
  return out.sort((a, b) => b.at - a.at).slice(0, o.limit ?? 10)
}
