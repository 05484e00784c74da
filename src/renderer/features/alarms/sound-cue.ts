import { Priorities, type AlarmView, type Priority } from '../../../shared/alarms.ts'

/**
 * Which tone, if any, a batch of changed alarms calls for: the most urgent priority among
 * alarms that have just become unacknowledged-active (a new activation, not an alarm that was
 * already waiting). Returning to normal, acknowledging, shelving: silence.
 */
export function soundCue(before: Record<string, AlarmView>, changed: AlarmView[]): Priority | null {
  let best: Priority | null = null
  for (const a of changed) {
    if (a.state !== 'unack') continue
    const prev = before[a.id]
    if (prev && prev.state === 'unack' && prev.activeSince === a.activeSince) continue
    if (best === null || Priorities.indexOf(a.priority) < Priorities.indexOf(best)) best = a.priority
  }
  return best
}

/** A tone per priority: more urgent is higher, faster and longer, so it is told apart without looking. */
export const tones: Record<Priority, { hz: number; beeps: number; beepS: number; gapS: number }> = {
  critical: { hz: 988, beeps: 4, beepS: 0.16, gapS: 0.08 },
  high: { hz: 784, beeps: 3, beepS: 0.18, gapS: 0.12 },
  medium: { hz: 622, beeps: 2, beepS: 0.22, gapS: 0.18 },
  low: { hz: 494, beeps: 1, beepS: 0.3, gapS: 0 },
}
