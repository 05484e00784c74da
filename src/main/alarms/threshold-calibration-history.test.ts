import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { AuditEntry } from '../../shared/alarms.ts'
import type { ModelCard } from '../../shared/model-card.ts'
import type { ScoreBatch } from '../../shared/samples.ts'
import type { ThresholdCalibration, ThresholdProposal } from '../../shared/threshold-channels.ts'
import { loadModel } from '../models/registry.ts'
import { modelsDir } from '../paths.ts'
import { AlarmRig } from './test-kit.ts'

/*
 * A threshold calibrated on a stretch of normal running, through the contract, on a real
 * SQLite history file: the windows are logged through the store's writer as the engine logs
 * them, the shipped pump autoencoder's and compressor RUL model's cards give the card
 * threshold and the kind, and the alarm system judges later windows by what was applied.
 */

const card = (id: string): ModelCard => loadModel(join(modelsDir(), id)).card
const PUMP = card('pump-ae')
const RUL = card('compressor-rul')
const CARD = PUMP.threshold.value
const MODEL = 'P-101/model/pump-ae'
const N = 600
let rig: AlarmRig

afterEach(async () => {
  await rig.close()
  rig.remove()
})

const tags = () => rig.plant.assets[0]!.tags.map((t) => t.id)

/** Windows of pump-ae on P-101 at 1 Hz from the rig's clock, judged by the card; the clock moves on. */
function windows(scores: number[]): ScoreBatch {
  const n = scores.length
  const F = tags().length
  const t = Float64Array.from({ length: n }, (_, i) => rig.clock + i * 1000)
  rig.clock += n * 1000
  return {
    assetId: 'P-101',
    modelId: 'pump-ae',
    modelVersion: PUMP.version,
    tags: tags(),
    threshold: CARD,
    t,
    score: Float64Array.from(scores),
    anomaly: Uint8Array.from(scores, (s) => (s > CARD ? 1 : 0)),
    contrib: new Float64Array(n * F).fill(1 / F),
    sensorState: new Uint8Array(n * F),
    latencyMs: 1,
  }
}

/** Scores as the engine passes them: the threshold in force applied, then alarms and the log. */
function run(scores: number[]): ScoreBatch {
  const b = rig.system.thresholds.apply(windows(scores))
  rig.system.scores(b)
  rig.store.writeScores(b)
  return b
}

async function open() {
  rig = await new AlarmRig(undefined, {
    cardThresholds: { [PUMP.id]: CARD, [RUL.id]: RUL.threshold.value },
    predictorCards: [RUL],
  }).open()
  await rig.call('users.create', { name: 'anita', role: 'admin', password: 'admin-pass-1' }, 'ws:a')
  await rig.call('users.create', { name: 'olga', role: 'operator', password: 'operator-pass' }, 'ws:a')
  await rig.call('users.create', { name: 'enzo', role: 'engineer', password: 'engineer-pass' }, 'ws:a')
  await rig.call('auth.signIn', { user: 'olga', password: 'operator-pass' }, 'ws:op')
  await rig.call('auth.signIn', { user: 'enzo', password: 'engineer-pass' }, 'ws:eng')
}

const error = async (method: string, req: unknown, caller = 'ws:eng') => {
  const r = await rig.dispatch(method, req, caller)
  return r.ok ? 'accepted' : r.error.message
}

describe('threshold calibrated on a stretch of normal running', () => {
  it('proposes the percentile of the logged scores, and applying it re-judges the next windows', async () => {
    await open()
    // An hour of normal running, the scores a quiet spread under the card: 0.0001 .. 0.06.
    const from = rig.clock
    const normal = Array.from({ length: N }, (_, i) => ((i * 367) % N) / 10_000 + 0.0001)
    run(normal)
    const to = rig.clock
    // A later stretch the calibration must not see (with it, the 99th percentile would be 0.07).
    run(Array.from({ length: 50 }, () => 0.07))
    await rig.store.flush()

    const range = { assetId: 'P-101', modelId: 'pump-ae', from, to }
    const { calibration: c } = await rig.call<{ calibration: ThresholdCalibration }>(
      'models.calibrateThreshold',
      range,
      'ws:op',
    )
    // Sorted, the scores are 0.0001 .. 0.06 by 0.0001: the 99th percentile sits at position
    // 599 x 0.99 = 593.01, between 0.0594 and 0.0595.
    expect(c).toMatchObject({ windows: N, unscored: 0, percentile: 99, modelVersion: PUMP.version })
    expect(c.proposed.threshold).toBeCloseTo(0.059401, 12)
    expect(c.proposed.flagged).toBe(6)
    expect(c.current).toEqual({ threshold: CARD, flagged: 0, share: 0 })
    expect(c.card.threshold).toBe(CARD)
    const p95 = (
      await rig.call<{ calibration: ThresholdCalibration }>(
        'models.calibrateThreshold',
        { ...range, percentile: 95 },
        'ws:op',
      )
    ).calibration
    expect(p95.proposed.threshold).toBeCloseTo(0.057005, 12)

    // A window at 0.065 is normal under the card's 0.0708: nothing is raised.
    const quiet = run(Array.from({ length: 20 }, () => 0.065))
    expect(quiet.anomaly.every((a) => a === 0)).toBe(true)
    expect(rig.state(MODEL)).toBe('normal')

    const apply = {
      assetId: 'P-101',
      modelId: 'pump-ae',
      threshold: c.proposed.threshold,
      calibration: { from, to },
    }
    expect(await error('models.acceptThreshold', apply, 'ws:op')).toMatch(
      /needs a user with the role engineer or admin/,
    )
    expect(await error('models.acceptThreshold', { ...apply, threshold: p95.proposed.threshold })).toMatch(
      /the calibration of that range is now 0\.0594\d*, not 0\.0570\d*; review it again/,
    )
    const applied = await rig.call<{ proposal: ThresholdProposal; calibration: ThresholdCalibration }>(
      'models.acceptThreshold',
      apply,
      'ws:eng',
    )
    expect(applied.proposal).toMatchObject({
      current: c.proposed.threshold,
      accepted: { by: 'enzo', threshold: c.proposed.threshold },
    })
    expect(applied.calibration.current).toEqual(c.proposed)

    // The same 0.065 is now above the threshold in force: ANOMALY, and the model alarm rises.
    const loud = run(Array.from({ length: 20 }, () => 0.065))
    expect([loud.threshold, loud.anomaly.every((a) => a === 1)]).toEqual([c.proposed.threshold, true])
    expect(rig.state(MODEL)).toBe('unack')

    // It holds across a restart; the audit names the range and percentile; a revert still goes back.
    await rig.restart()
    expect(rig.system.thresholds.apply(windows([0.065])).threshold).toBe(c.proposed.threshold)
    await rig.call('auth.signIn', { user: 'anita', password: 'admin-pass-1' }, 'ws:a')
    await rig.call('auth.signIn', { user: 'enzo', password: 'engineer-pass' }, 'ws:eng')
    const audit = (
      await rig.call<{ entries: AuditEntry[] }>('audit.list', { action: 'models.acceptThreshold' }, 'ws:a')
    ).entries
    expect(audit.map((e) => [e.actor, e.outcome])).toEqual([
      ['enzo', 'ok'],
      ['enzo', 'failed'],
      ['olga', 'denied'],
    ])
    expect(audit[0]!.target).toBe('P-101')
    expect(audit[0]!.detail).toContain(`"calibration":{"from":${from},"to":${to}}`)
    expect(audit[0]!.detail).toContain(`"threshold":${c.proposed.threshold}`)
    await rig.call('models.acceptThreshold', { assetId: 'P-101', modelId: 'pump-ae', revert: true }, 'ws:eng')
    expect(rig.system.thresholds.apply(windows([0.065])).threshold).toBe(CARD)
  })

  it('refuses a range too short, a predictor, and bad requests at the boundary', async () => {
    await open()
    const from = rig.clock
    run(Array.from({ length: 99 }, (_, i) => 0.01 + i / 10_000))
    const to = rig.clock
    await rig.store.flush()
    const range = { assetId: 'P-101', modelId: 'pump-ae', from, to }
    expect(await error('models.calibrateThreshold', range)).toMatch(
      new RegExp(
        `asset "P-101", model "pump-ae", ${new Date(from).toISOString()} to ${new Date(to).toISOString()}: 99 scored windows in the range; calibration needs at least 100`,
      ),
    )
    // Applying it is refused the same way, and nothing changes.
    expect(
      await error('models.acceptThreshold', {
        assetId: 'P-101',
        modelId: 'pump-ae',
        threshold: 0.05,
        calibration: { from, to },
      }),
    ).toMatch(/99 scored windows in the range/)
    expect(rig.system.thresholds.get('P-101', 'pump-ae')).toBeUndefined()
    // A range nothing was ever logged in.
    expect(await error('models.calibrateThreshold', { ...range, from: 0, to: 1000 })).toMatch(
      /0 scored windows in the range/,
    )
    expect(
      await error('models.calibrateThreshold', { assetId: 'C-201', modelId: 'compressor-rul', from, to }),
    ).toMatch(/"compressor-rul" is not a window detector/)

    expect(await error('models.calibrateThreshold', { ...range, to: from })).toMatch(
      /models.calibrateThreshold: .*to.*from must be before to/,
    )
    expect(await error('models.calibrateThreshold', { ...range, percentile: 100 })).toMatch(
      /models.calibrateThreshold: .*percentile/,
    )
    expect(await error('models.calibrateThreshold', { ...range, assetId: 'P-999' })).toMatch(
      /model "pump-ae" does not score asset "P-999"/,
    )
    expect(await error('models.calibrateThreshold', { ...range, modelId: 'compressor-rf' })).toMatch(
      /model "compressor-rf" does not score asset "P-101"/,
    )
    expect(
      await error('models.acceptThreshold', {
        assetId: 'P-101',
        modelId: 'pump-ae',
        revert: true,
        calibration: { from, to },
      }),
    ).toMatch(/a revert goes back to the card: it takes no calibration/)
  })
})
