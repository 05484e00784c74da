import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { AlarmView, MaintenanceEvent } from '../../shared/alarms.ts'
import type { PlantHeadFigures } from '../../shared/kpi-channels.ts'
import type { ModelCard } from '../../shared/model-card.ts'
import type { PredictionBatch } from '../../shared/samples.ts'
import type { SetpointAdvice } from '../../shared/suggestion.ts'
import { loadModel } from '../models/registry.ts'
import { modelsDir } from '../paths.ts'
import { AlarmRig } from './test-kit.ts'

/*
 * Predictor alarms through the alarm system on a real SQLite history file: the shipped cards
 * (compressor-rul, caster-defect, compressor-ppo) on the demo plant, predictions fed as the
 * pipeline sends them, alarms and maintenance events read back through the contract.
 */

const card = (id: string): ModelCard => loadModel(join(modelsDir(), id)).card
const CARDS = ['compressor-rul', 'caster-defect', 'compressor-ppo'].map(card)
/** The caster card's operating threshold, read from the card: retraining moves it. */
const T = CARDS[1]!.threshold.value
const RUL = 'C-201/rul/compressor-rul'
const DEFECT = 'CC-1/defect/caster-defect'
const SURGE = 'C-201/constraint/compressor-ppo/Surge_Margin_pct'

let rig: AlarmRig
afterEach(async () => {
  await rig.close()
  rig.remove()
})
const open = async () => (rig = await new AlarmRig(undefined, { predictorCards: CARDS }).open())

/** RUL predictions of C-201 every 60 s from the rig's clock, hours and spreads given; the clock moves on. */
function rul(hours: number[], spread = 12): PredictionBatch {
  const t = Float64Array.from(hours, (_, i) => rig.clock + i * 60_000)
  rig.clock += hours.length * 60_000
  return {
    assetId: 'C-201',
    modelId: 'compressor-rul',
    modelVersion: '1.0.0',
    kind: 'rul',
    t,
    value: Float64Array.from(hours),
    threshold: 168,
    flagged: Uint8Array.from(hours, (h) => (h < 168 ? 1 : 0)),
    spread: new Float64Array(hours.length).fill(spread),
    latencyMs: 1,
  }
}

let castNo = 5000
/** One CC-1 cast per probability, four minutes apart. */
function casts(p: number[]): PredictionBatch {
  const t = Float64Array.from(p, (_, i) => rig.clock + i * 240_000)
  rig.clock += p.length * 240_000
  return {
    assetId: 'CC-1',
    modelId: 'caster-defect',
    modelVersion: '1.0.0',
    kind: 'defect',
    t,
    value: Float64Array.from(p),
    threshold: T,
    flagged: Uint8Array.from(p, (x) => (x > T ? 1 : 0)),
    confidence: Float64Array.from(p, (x) => Math.abs(x - T) / (1 - T)),
    members: { xgboost: Float64Array.from(p), lstm: new Float64Array(p.length).fill(0.1) },
    unit: Float64Array.from(p, () => castNo++),
    latencyMs: 1,
  }
}

/** One piece of C-201 advice; a suggestion whose surge margin is `surgeMargin` points inside its limit, or none. */
function advice(surgeMargin: number | null): PredictionBatch {
  const at = rig.clock
  rig.clock += 300_000
  const a: SetpointAdvice = {
    assetId: 'C-201',
    modelId: 'compressor-ppo',
    at,
    why:
      surgeMargin === null ? 'No suggestion: C-201 already runs within 3 kW of its best.' : 'Lower the speed',
    suggestion:
      surgeMargin === null
        ? null
        : {
            moves: [{ tag: 'Shaft_Speed_rpm', unit: 'rpm', current: 13900, suggested: 13700, target: 13600 }],
            duty: { tag: 'Mass_Flow_kg_s', unit: 'kg/s', value: 35, changePct: 0 },
            gain: { powerKw: 40, efficiencyPts: 0.3, targetPowerKw: 55 },
            margins: [
              {
                tag: 'Surge_Margin_pct',
                unit: '%',
                value: 10 + surgeMargin,
                side: 'above',
                limit: 10,
                margin: surgeMargin,
              },
              {
                tag: 'Discharge_Temperature_C',
                unit: '°C',
                value: 420,
                side: 'below',
                limit: 480,
                margin: 60,
              },
            ],
          },
  }
  return {
    assetId: 'C-201',
    modelId: 'compressor-ppo',
    modelVersion: '1.0.0',
    kind: 'policy',
    t: Float64Array.of(at),
    value: Float64Array.of(NaN),
    threshold: 10,
    flagged: Uint8Array.of(0),
    actions: Float64Array.of(13700, 80),
    actionTags: ['Shaft_Speed_rpm', 'IGV_Position_pct'],
    advice: [a],
    latencyMs: 1,
  }
}

const view = async (id: string): Promise<AlarmView> => {
  const { alarms } = await rig.call<{ alarms: AlarmView[] }>('alarms.list', { includeNormal: true })
  const a = alarms.find((x) => x.id === id)
  if (!a) throw new Error(`no alarm ${id} in alarms.list`)
  return a
}
const events = async (assetId: string) => {
  // maintenance.list reads the file: let the writer catch up first.
  await rig.store.flush()
  return (await rig.call<{ events: MaintenanceEvent[] }>('maintenance.list', { assetId })).events
}

describe('remaining-life alarm', () => {
  it('sounds medium after two predictions under the horizon, opens a maintenance event, and clears only past the deadband', async () => {
    await open()
    rig.system.predictions(rul([900, 400, 160]))
    // One prediction under 168 h is not yet an alarm: its noise alone must not raise it.
    expect(rig.state(RUL)).toBe('normal')
    rig.system.predictions(rul([150]))
    const a = await view(RUL)
    expect(a).toMatchObject({ state: 'unack', priority: 'medium', kind: 'rul', value: 150, limit: 168 })
    expect(a.message).toBe('C-201 remaining life 150 ± 12.0 h (compressor-rul), under the 168 h horizon')

    const [e] = await events('C-201')
    expect(e).toMatchObject({ severity: 'MEDIUM', status: 'open', tag: 'compressor-rul', cost: 45_000 })
    expect(e!.cause).toBe('C-201/predict/compressor-rul')
    expect(e!.message).toMatch(
      /^C-201: 150 ± 12 h of useful life left by compressor-rul, under its 168 h horizon; act before 20\d\d-/,
    )

    // Life running out raises the same work order's severity: under half, then an eighth, of the horizon.
    rig.system.predictions(rul([80, 20]))
    const raised = await events('C-201')
    expect(raised).toHaveLength(1)
    expect(raised[0]).toMatchObject({ id: e!.id, severity: 'CRITICAL', cost: 67_500 })
    const head = await rig.call<PlantHeadFigures>('kpi.plantHead', {})
    expect(head.recommendations[0]!.action).toBe(raised[0]!.message)

    // 172 h is inside the deadband (168 + 8.4 h): still active. After a wash, two predictions above it clear it.
    rig.system.predictions(rul([172, 172, 172]))
    expect(rig.state(RUL)).toBe('unack')
    rig.system.predictions(rul([1400, 1400]))
    expect(rig.state(RUL)).toBe('rtn-unack')
    // The event stays open until a person resolves it.
    expect((await events('C-201'))[0]!.status).toBe('open')
  })

  it('keeps its state and the open event across a restart of the history file', async () => {
    await open()
    rig.system.predictions(rul([150, 140]))
    await rig.call('alarms.ack', { ids: [RUL], note: 'wash booked' }, 'ws:op')
    await rig.restart()
    expect(rig.state(RUL)).toBe('acked')
    const [e] = await events('C-201')
    expect(e).toMatchObject({ severity: 'MEDIUM', status: 'open' })
    // The condition resumes active: the next prediction under the horizon changes nothing.
    rig.system.predictions(rul([130]))
    expect(rig.state(RUL)).toBe('acked')
    expect(await events('C-201')).toHaveLength(1)
  })
})

describe('cast defect alarm', () => {
  it('sounds high at the first flagged cast, names every flagged cast in one work order, and turns critical when they recur', async () => {
    await open()
    rig.system.predictions(casts([0.01, 0.02]))
    expect(rig.state(DEFECT)).toBe('normal')
    expect(await events('CC-1')).toEqual([])

    const first = castNo + 1
    rig.system.predictions(casts([0.03, 0.91]))
    const a = await view(DEFECT)
    expect(a).toMatchObject({ state: 'unack', priority: 'high', kind: 'defect', value: 0.91 })
    const conf = ((0.91 - T) / (1 - T)).toFixed(2)
    expect(a.message).toBe(`CC-1 cast ${first}: P(defect) 0.91 over ${T} (caster-defect, confidence ${conf})`)
    let [e] = await events('CC-1')
    expect(e).toMatchObject({ severity: 'HIGH', tag: 'caster-defect' })
    expect(e!.message).toBe(
      `CC-1: cast ${first} (0.91) likely defective by caster-defect (P(defect) over ${T}); hold the slab for inspection`,
    )

    // Within the 0.05 deadband under the threshold the alarm holds; a clean cast clears it.
    rig.system.predictions(casts([T - 0.03]))
    expect(rig.state(DEFECT)).toBe('unack')
    rig.system.predictions(casts([0.02]))
    expect(rig.state(DEFECT)).toBe('rtn-unack')

    // Three flagged casts in the last ten: a recurring fault, the same work order now CRITICAL.
    rig.system.predictions(casts([0.7, 0.05, 0.8]))
    ;[e] = await events('CC-1')
    expect((await events('CC-1')).filter((x) => x.status === 'open')).toHaveLength(1)
    expect(e).toMatchObject({ severity: 'CRITICAL', cost: 67_500 })
    expect(e!.message).toMatch(
      new RegExp(
        `^CC-1: casts ${first} \\(0\\.91\\), ${first + 3} \\(0\\.70\\), ${first + 5} \\(0\\.80\\) likely defective .*3 of the last 9 casts flagged`,
      ),
    )
  })

  it('starts a new work order after the open one is resolved, naming only the casts since', async () => {
    await open()
    rig.system.predictions(casts([0.9]))
    const [e] = await events('CC-1')
    await rig.call('maintenance.resolve', { id: e!.id, notes: 'slab scarfed' }, 'ws:eng')
    rig.system.predictions(casts([0.1, 0.6]))
    const open2 = (await events('CC-1')).filter((x) => x.status === 'open')
    expect(open2).toHaveLength(1)
    expect(open2[0]!.id).not.toBe(e!.id)
    expect(open2[0]!.message).toMatch(new RegExp(`^CC-1: cast ${castNo - 1} \\(0\\.60\\) likely`))
  })
})

describe('optimizer constraint alarm', () => {
  it('sounds low when a suggestion leaves less surge margin than 5% of the span, and clears when none is suggested', async () => {
    await open()
    rig.system.predictions(advice(20))
    expect(rig.state(SURGE)).toBe('normal')
    // Surge_Margin_pct spans -50..60 %: 5.5 points of margin are wanted.
    rig.system.predictions(advice(3.2))
    const a = await view(SURGE)
    expect(a).toMatchObject({ state: 'unack', priority: 'low', kind: 'constraint', value: 3.2, limit: 5.5 })
    expect(a.message).toBe(
      'C-201 suggestion (compressor-ppo) would leave surge margin 13.2 %, 3.20 % inside its limit (above 10 %); under the 5.50 % margin wanted',
    )
    // The discharge temperature's 60 °C of margin is plenty: its alarm stays normal.
    expect(rig.state('C-201/constraint/compressor-ppo/Discharge_Temperature_C')).toBe('normal')
    rig.system.predictions(advice(null))
    expect(rig.state(SURGE)).toBe('rtn-unack')
    // Suggestions are advice: no maintenance event comes of them.
    expect(await events('C-201')).toEqual([])
  })
})

describe('alarm definitions for predictors', () => {
  it('leaves predictor alarms to predictions: raw C-201 and CC-1 samples neither touch nor break them', async () => {
    await open()
    for (const id of ['C-201', 'CC-1']) {
      const asset = rig.plant.assets.find((a) => a.id === id)!
      const n = 30
      const t = Float64Array.from({ length: n }, (_, i) => rig.clock + i * 1000)
      // Every tag at 1, inside most ranges: a surge margin of 1 % would be a constraint "margin" under 5.5.
      const values = asset.tags.map(() => new Float64Array(n).fill(1))
      const quality = asset.tags.map(() => new Uint8Array(n))
      rig.system.samples({ assetId: id, t, values, quality })
    }
    expect(rig.state(SURGE)).toBe('normal')
    expect(rig.state(RUL)).toBe('normal')
    expect(rig.state(DEFECT)).toBe('normal')
  })

  it('gives C-201 no window alarm for its predictors, only for its classifier', async () => {
    await open()
    const ids = [...rig.system.set.byId.keys()].filter((id) => id.startsWith('C-201/') && !id.includes('_'))
    expect(ids.filter((id) => id.includes('/model/'))).toEqual(['C-201/model/compressor-rf'])
    expect(ids).toContain(RUL)
  })
})
