import { Priorities, type AlarmState, type AlarmView, type Priority } from '../../../shared/alarms.ts'

/** The list's views of the alarm states: the summary operators work from, and the hidden lists. */
export const StateFilters = {
  active: { label: 'In alarm', states: ['unack', 'acked', 'rtn-unack'] },
  unacked: { label: 'Unacknowledged', states: ['unack', 'rtn-unack'] },
  shelved: { label: 'Shelved', states: ['shelved'] },
  suppressed: { label: 'Suppressed', states: ['suppressed'] },
  'out-of-service': { label: 'Out of service', states: ['out-of-service'] },
  all: { label: 'All configured', states: null },
} as const satisfies Record<string, { label: string; states: readonly AlarmState[] | null }>
export type StateFilter = keyof typeof StateFilters

export interface AlarmFilter {
  priorities: Priority[]
  state: StateFilter
  /** '' for every asset. */
  assetId: string
}

export const defaultFilter: AlarmFilter = { priorities: [...Priorities], state: 'active', assetId: '' }

const attention: Record<AlarmState, number> = {
  unack: 0,
  'rtn-unack': 1,
  acked: 2,
  shelved: 3,
  suppressed: 4,
  'out-of-service': 5,
  normal: 6,
}

/** Unacknowledged first, then by priority, newest first: what the operator must look at leads. */
export function selectAlarms(all: Record<string, AlarmView>, f: AlarmFilter): AlarmView[] {
  const states: readonly AlarmState[] | null = StateFilters[f.state].states
  return Object.values(all)
    .filter(
      (a) =>
        f.priorities.includes(a.priority) &&
        (states === null || states.includes(a.state)) &&
        (f.assetId === '' || a.assetId === f.assetId),
    )
    .sort(
      (a, b) =>
        attention[a.state] - attention[b.state] ||
        Priorities.indexOf(a.priority) - Priorities.indexOf(b.priority) ||
        b.changedAt - a.changedAt,
    )
}

/** What the banner on every view says: unacknowledged alarms, the most urgent first. */
export function bannerOf(all: Record<string, AlarmView>): { unacked: number; top: AlarmView | null } {
  const waiting = selectAlarms(all, { ...defaultFilter, state: 'unacked' })
  return { unacked: waiting.length, top: waiting[0] ?? null }
}

/** Merges the alarms a live message says changed into the map, keeping unchanged entries. */
export function mergeAlarms(all: Record<string, AlarmView>, changed: AlarmView[]): Record<string, AlarmView> {
  if (changed.length === 0) return all
  const next = { ...all }
  for (const a of changed) next[a.id] = a
  return next
}

const STATE_WORDS: Record<AlarmState, string> = {
  normal: 'Normal',
  unack: 'Unacknowledged',
  acked: 'Acknowledged',
  'rtn-unack': 'Cleared, unacknowledged',
  shelved: 'Shelved',
  suppressed: 'Suppressed by design',
  'out-of-service': 'Out of service',
}
export const stateWords = (s: AlarmState) => STATE_WORDS[s]

/** ISA-101: colour only for an alarm that is in alarm, by its priority; anything else stays grey. */
export function alarmClass(a: AlarmView): string {
  if (a.state !== 'unack' && a.state !== 'acked' && a.state !== 'rtn-unack') return 'alarm-quiet'
  return `alarm-${a.priority}${a.state === 'acked' ? ' alarm-acked' : ''}`
}
