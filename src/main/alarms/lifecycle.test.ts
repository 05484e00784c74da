import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AlarmStates, type AlarmState } from '../../shared/alarms.ts'
import { NORMAL, stateOf, step, type Life, type LifeEvent } from './lifecycle.ts'

/*
 * The ISA-18.2 state diagram written out independently of the implementation: every edge an
 * alarm may take. Hiding (shelve, suppress, out of service) may start from any visible state;
 * lifting the last layer lands on normal or unack; layers may stack and lift in any order.
 */
const visible: AlarmState[] = ['normal', 'unack', 'acked', 'rtn-unack']
const hiddenStates: AlarmState[] = ['shelved', 'suppressed', 'out-of-service']
const LEGAL = new Set<string>([
  'normal>unack',
  'unack>acked',
  'unack>rtn-unack',
  'acked>normal',
  'rtn-unack>normal',
  'rtn-unack>unack',
  ...visible.flatMap((v) => hiddenStates.map((h) => `${v}>${h}`)),
  ...hiddenStates.flatMap((h) => ['normal', 'unack'].map((v) => `${h}>${v}`)),
  ...hiddenStates.flatMap((a) => hiddenStates.filter((b) => b !== a).map((b) => `${a}>${b}`)),
])

const who = fc.constantFrom('asha', 'ravi', 'mei')
const event: fc.Arbitrary<LifeEvent> = fc.oneof(
  { weight: 6, arbitrary: fc.boolean().map((active) => ({ kind: 'condition' as const, active })) },
  { weight: 4, arbitrary: who.map((by) => ({ kind: 'ack' as const, by })) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('shelve' as const),
      by: who,
      reason: fc.constantFrom('chattering transmitter', '', 'work permit 4411'),
      until: fc.integer({ min: 1, max: 100 }),
    }),
  },
  { weight: 1, arbitrary: who.map((by) => ({ kind: 'unshelve' as const, by })) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 100 }).map((now) => ({ kind: 'tick' as const, now })) },
  { weight: 1, arbitrary: fc.boolean().map((on) => ({ kind: 'suppress' as const, on })) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('service' as const),
      inService: fc.boolean(),
      by: who,
      reason: fc.constantFrom('transmitter replaced', ''),
    }),
  },
)
const sequence = fc.array(event, { minLength: 1, maxLength: 60 })

function run(events: LifeEvent[]) {
  let life: Life = NORMAL
  const visited = new Set<AlarmState>([stateOf(life)])
  const journal: { action: string; by: string; from: AlarmState; to: AlarmState }[] = []
  let acksAccepted = 0
  for (const e of events) {
    const before = stateOf(life)
    const out = step(life, e)
    if (e.kind === 'ack') {
      // An acknowledgement is accepted exactly when something waits for one.
      expect(out.ok).toBe(before === 'unack' || before === 'rtn-unack')
      if (out.ok) acksAccepted++
    }
    if (!out.ok) continue
    expect(out.from).toBe(before)
    if (out.from !== out.to) expect(LEGAL.has(`${out.from}>${out.to}`), `${out.from} > ${out.to}`).toBe(true)
    if (out.action) journal.push({ action: out.action, by: out.by, from: out.from, to: out.to })
    life = out.life
    visited.add(stateOf(life))
  }
  return { life, visited, journal, acksAccepted }
}

describe('ISA-18.2 alarm lifecycle', () => {
  it('takes only the edges of the state diagram over random event sequences', () => {
    fc.assert(
      fc.property(sequence, (events) => void run(events)),
      { numRuns: 2000 },
    )
  })

  it('records every acknowledgement with who made it, and an ack never changes the condition', () => {
    fc.assert(
      fc.property(sequence, (events) => {
        const { journal, acksAccepted } = run(events)
        const acks = journal.filter((j) => j.action === 'ack')
        expect(acks).toHaveLength(acksAccepted)
        for (const a of acks) {
          expect(['asha', 'ravi', 'mei']).toContain(a.by)
          expect(['acked', 'normal']).toContain(a.to)
        }
      }),
      { numRuns: 1000 },
    )
  })

  it('reaches every state from normal', () => {
    const seen = new Set<AlarmState>()
    fc.assert(
      fc.property(sequence, (events) => {
        for (const s of run(events).visited) seen.add(s)
      }),
      { numRuns: 500, seed: 18_2 },
    )
    expect([...seen].sort()).toEqual([...AlarmStates].sort())
  })

  it('keeps a visible alarm that is active in unack or acked, and one that is clear in normal or rtn-unack', () => {
    fc.assert(
      fc.property(sequence, (events) => {
        const { life } = run(events)
        const s = stateOf(life)
        if (hiddenStates.includes(s)) return
        expect(life.active ? ['unack', 'acked'] : ['normal', 'rtn-unack']).toContain(s)
      }),
      { numRuns: 1000 },
    )
  })

  it('returns a shelved alarm by itself at its expiry, unacknowledged if still active', () => {
    const shelved = step(
      { ...NORMAL, active: true },
      { kind: 'shelve', by: 'asha', reason: 'bad', until: 50 },
    )
    if (!shelved.ok) throw new Error(shelved.reason)
    expect(shelved.to).toBe('shelved')
    const early = step(shelved.life, { kind: 'tick', now: 49 })
    expect(early.ok && early.to).toBe('shelved')
    const due = step(shelved.life, { kind: 'tick', now: 50 })
    expect(due.ok && [due.to, due.action, due.by]).toEqual(['unack', 'shelve-expired', 'system'])
  })

  it('refuses an ack with nothing to acknowledge and a shelve without a reason, saying why', () => {
    const a = step(NORMAL, { kind: 'ack', by: 'asha' })
    expect(!a.ok && a.reason).toMatch(/nothing to acknowledge: the alarm is normal/)
    const s = step(NORMAL, { kind: 'shelve', by: 'asha', reason: ' ', until: 9 })
    expect(!s.ok && s.reason).toMatch(/needs a reason/)
  })

  it('lets a cleared-while-shelved alarm come back normal, with nothing to acknowledge', () => {
    let l: Life = NORMAL
    for (const e of [
      { kind: 'condition', active: true },
      { kind: 'shelve', by: 'ravi', reason: 'known leak', until: 10 },
      { kind: 'condition', active: false },
      { kind: 'unshelve', by: 'ravi' },
    ] as LifeEvent[]) {
      const o = step(l, e)
      if (!o.ok) throw new Error(o.reason)
      l = o.life
    }
    expect(stateOf(l)).toBe('normal')
  })
})
