import { afterEach, describe, expect, it } from 'vitest'
import type { AuditEntry } from '../../shared/alarms.ts'
import type { AdviceDecision } from '../../shared/optimizer-channels.ts'
import type { PredictionBatch } from '../../shared/samples.ts'
import type { SetpointAdvice } from '../../shared/suggestion.ts'
import { AlarmRig } from './test-kit.ts'

/*
 * Accepting and dismissing setpoint suggestions through the contract with a real history
 * file: the advice must be in the prediction log, the decision is the audit trail's entry,
 * and only the roles that run the plant may make it.
 */

let rig: AlarmRig
afterEach(async () => {
  await rig.close()
  rig.remove()
})

const AT = Date.UTC(2026, 5, 1, 10)

function advice(at: number, suggest: boolean): SetpointAdvice {
  return {
    assetId: 'C-201',
    modelId: 'compressor-ppo',
    at,
    why: suggest
      ? 'Lower the speed from 14040 to 13752 rpm …'
      : 'No suggestion: C-201 already runs within 4 kW of its best.',
    suggestion: suggest
      ? {
          moves: [{ tag: 'Shaft_Speed_rpm', unit: 'rpm', current: 14040, suggested: 13752, target: 13328 }],
          duty: { tag: 'Mass_Flow_kg_s', unit: 'kg/s', value: 35, changePct: 0 },
          gain: { powerKw: 21, efficiencyPts: 0.13, targetPowerKw: 34 },
          margins: [],
        }
      : null,
  }
}

/** Logs two pieces of advice, one suggesting and one not, as the pipeline would. */
async function logAdvice(): Promise<void> {
  const a = [advice(AT, true), advice(AT + 300_000, false)]
  const batch: PredictionBatch = {
    assetId: 'C-201',
    modelId: 'compressor-ppo',
    modelVersion: '1.0.0',
    kind: 'policy',
    t: Float64Array.of(AT, AT + 300_000),
    value: Float64Array.of(NaN, NaN),
    threshold: 10,
    flagged: Uint8Array.of(0, 0),
    actions: Float64Array.of(13752, 84, 14040, 78),
    actionTags: ['Shaft_Speed_rpm', 'IGV_Position_pct'],
    advice: a,
    latencyMs: 1,
  }
  rig.store.writePredictions(batch)
  await rig.store.flush()
}

describe('decisions on setpoint suggestions', () => {
  it('records an accepted suggestion in the audit trail, reads it back, and refuses advice that is not there', async () => {
    rig = await new AlarmRig().open()
    await rig.call('users.create', { name: 'anita', role: 'admin', password: 'admin-pass-1' }, 'ws:1')
    await rig.call('users.create', { name: 'olga', role: 'operator', password: 'operator-pass' }, 'ws:1')
    await rig.call('users.create', { name: 'mona', role: 'management', password: 'manager-pass' }, 'ws:1')
    await rig.call('auth.signIn', { user: 'anita', password: 'admin-pass-1' }, 'ws:1')
    await rig.call('auth.signIn', { user: 'olga', password: 'operator-pass' }, 'ws:2')
    await rig.call('auth.signIn', { user: 'mona', password: 'manager-pass' }, 'ws:3')
    await logAdvice()

    const req = {
      assetId: 'C-201',
      modelId: 'compressor-ppo',
      at: AT,
      decision: 'accept',
      note: 'moving at 10:15',
    }
    const { decision } = await rig.call<{ decision: AdviceDecision }>('optimizer.decide', req, 'ws:2')
    expect(decision).toMatchObject({
      actor: 'olga',
      role: 'operator',
      decision: 'accept',
      note: 'moving at 10:15',
    })

    // Management reads figures; it does not run the plant.
    const denied = await rig.dispatch('optimizer.decide', { ...req, decision: 'dismiss' }, 'ws:3')
    expect(!denied.ok && denied.error.code).toBe('forbidden')

    const none = await rig.dispatch('optimizer.decide', { ...req, at: AT + 1 }, 'ws:2')
    expect(!none.ok && none.error.message).toMatch(
      /model "compressor-ppo" gave asset "C-201" no advice at 2026-06-01T10:00:00.001Z/,
    )
    const empty = await rig.dispatch('optimizer.decide', { ...req, at: AT + 300_000 }, 'ws:2')
    expect(!empty.ok && empty.error.message).toMatch(
      /suggests nothing to accept \("No suggestion: C-201 already runs/,
    )

    const { decisions } = await rig.call<{ decisions: AdviceDecision[] }>('optimizer.decisions', {}, 'ws:2')
    expect(decisions).toHaveLength(1)
    expect(decisions[0]).toMatchObject({ actor: 'olga', assetId: 'C-201', at: AT, decision: 'accept' })
    const other = await rig.call<{ decisions: AdviceDecision[] }>(
      'optimizer.decisions',
      { assetId: 'P-101' },
      'ws:2',
    )
    expect(other.decisions).toEqual([])

    const audit = (
      await rig.call<{ entries: AuditEntry[] }>('audit.list', { action: 'optimizer.decide' }, 'ws:1')
    ).entries
    expect(audit.map((e) => [e.actor, e.outcome])).toEqual([
      ['olga', 'failed'],
      ['olga', 'failed'],
      ['mona', 'denied'],
      ['olga', 'ok'],
    ])
  })
})
