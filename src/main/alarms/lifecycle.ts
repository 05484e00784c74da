import type { AlarmState } from '../../shared/alarms.ts'

/*
 * The ISA-18.2 alarm state machine, pure: no clock, no I/O, so it can be tested over random
 * event sequences and replayed from what the store kept. An alarm is three layers:
 *   - the process condition (`active`, already filtered by deadband and delays),
 *   - whether an annunciation waits for an operator (`acked` false),
 *   - what hides it from the list: out of service > suppressed by design > shelved.
 * While hidden, the condition is still tracked; when the last layer lifts, an alarm still
 * active annunciates again as unacknowledged, one that cleared meanwhile comes back normal.
 */

export interface Life {
  active: boolean
  acked: boolean
  shelved: { by: string; reason: string; until: number } | null
  suppressed: boolean
  outOfService: { by: string; reason: string } | null
}

export type LifeEvent =
  | { kind: 'condition'; active: boolean }
  | { kind: 'ack'; by: string; note?: string }
  | { kind: 'shelve'; by: string; reason: string; until: number }
  | { kind: 'unshelve'; by: string }
  /** Time passes: a shelf whose expiry has come returns the alarm by itself. */
  | { kind: 'tick'; now: number }
  | { kind: 'suppress'; on: boolean }
  | { kind: 'service'; inService: boolean; by: string; reason: string }

/** What changed, for the journal; `action` null when the event changed nothing. */
export type Outcome =
  | { ok: true; life: Life; from: AlarmState; to: AlarmState; action: string | null; by: string }
  | { ok: false; reason: string }

export const NORMAL: Life = {
  active: false,
  acked: true,
  shelved: null,
  suppressed: false,
  outOfService: null,
}

export function stateOf(l: Life): AlarmState {
  if (l.outOfService) return 'out-of-service'
  if (l.suppressed) return 'suppressed'
  if (l.shelved) return 'shelved'
  if (l.active) return l.acked ? 'acked' : 'unack'
  return l.acked ? 'normal' : 'rtn-unack'
}

const hidden = (l: Life) => l.outOfService !== null || l.suppressed || l.shelved !== null

/** Lifting a layer: if nothing hides the alarm any more, it annunciates afresh when still active. */
function reveal(l: Life): Life {
  return hidden(l) ? l : { ...l, acked: !l.active }
}

const SYSTEM = 'system'

export function step(l: Life, e: LifeEvent): Outcome {
  const from = stateOf(l)
  const done = (life: Life, action: string | null, by = SYSTEM): Outcome => ({
    ok: true,
    life,
    from,
    to: stateOf(life),
    action,
    by,
  })
  const refuse = (reason: string): Outcome => ({ ok: false, reason })

  switch (e.kind) {
    case 'condition': {
      if (e.active === l.active) return done(l, null)
      // A visible alarm that activates waits for an acknowledgement; one that clears
      // unacknowledged stays waiting (RTN unack); hidden, only the condition is tracked.
      const acked = hidden(l) ? l.acked : e.active ? false : l.acked
      return done({ ...l, active: e.active, acked }, e.active ? 'activate' : 'clear')
    }
    case 'ack':
      if (hidden(l) || l.acked) return refuse(`nothing to acknowledge: the alarm is ${from}`)
      return done({ ...l, acked: true }, 'ack', e.by)
    case 'shelve':
      if (l.outOfService || l.suppressed) return refuse(`cannot shelve an alarm that is ${from}`)
      if (!e.reason.trim()) return refuse('shelving needs a reason')
      return done({ ...l, shelved: { by: e.by, reason: e.reason, until: e.until } }, 'shelve', e.by)
    case 'unshelve':
      if (!l.shelved) return refuse(`the alarm is not shelved (it is ${from})`)
      return done(reveal({ ...l, shelved: null }), 'unshelve', e.by)
    case 'tick':
      if (!l.shelved || e.now < l.shelved.until) return done(l, null)
      return done(reveal({ ...l, shelved: null }), 'shelve-expired')
    case 'suppress':
      if (e.on === l.suppressed) return done(l, null)
      return done(
        e.on ? { ...l, suppressed: true } : reveal({ ...l, suppressed: false }),
        e.on ? 'suppress' : 'release',
      )
    case 'service':
      if (!e.inService) {
        if (l.outOfService) return refuse('the alarm is already out of service')
        if (!e.reason.trim()) return refuse('taking an alarm out of service needs a reason')
        return done({ ...l, outOfService: { by: e.by, reason: e.reason } }, 'remove-from-service', e.by)
      }
      if (!l.outOfService) return refuse(`the alarm is in service (it is ${from})`)
      return done(reveal({ ...l, outOfService: null }), 'return-to-service', e.by)
  }
}
