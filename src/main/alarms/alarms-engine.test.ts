import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { AlarmJournalEntry, AlarmView, MaintenanceEvent } from '../../shared/alarms.ts'
import type { Result } from '../../shared/errors.ts'
import type { LiveMessage } from '../../shared/samples.ts'
import { createEngine, type RunningEngine } from '../engine/engine.ts'

const dir = mkdtempSync(join(tmpdir(), 'vigil-alarms-engine-'))
const dbPath = join(dir, 'vigil.db')
const HH = 'P-101/Bearing_Temperature_C/HH'
let engine: RunningEngine | null = null

afterAll(async () => {
  await engine?.stop()
  rmSync(dir, { recursive: true, force: true })
})

const value = <T>(r: Result<unknown>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return r.value as T
}
const call = async <T>(method: string, req: unknown) => value<T>(await engine!.dispatch(method, req))

async function until<T>(probe: () => Promise<T | null>, ms: number, what: string): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await probe()
    if (v !== null) return v
    if (Date.now() > end) throw new Error(`${what}: not reached in ${ms} ms`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

const hh = async () =>
  (await call<{ alarms: AlarmView[] }>('alarms.list', { includeNormal: true })).alarms.find(
    (a) => a.id === HH,
  )!
const bearingEvents = async () =>
  (await call<{ events: MaintenanceEvent[] }>('maintenance.list', { assetId: 'P-101' })).events.filter(
    (e) => e.cause === 'P-101/Bearing_Temperature_C',
  )

describe('alarms and maintenance on the real engine, simulator and model', () => {
  it('bearing wear raises the bearing HH alarm and one CRITICAL maintenance event of 67,500 INR', async () => {
    engine = await createEngine({ dbPath, simSpeed: 300 })
    const live: LiveMessage[] = []
    engine.subscribe((m) => m.topic === 'alarms' && live.push(m))
    await call('sim.inject', { assetId: 'P-101', fault: 'bearing_wear', rampS: 600 })
    const alarm = await until(
      async () => ((await hh()).state === 'unack' ? hh() : null),
      60_000,
      'bearing HH',
    )
    expect(alarm.value).toBeGreaterThan(85)
    await engine.settle()
    const [event, ...dupes] = await until(
      async () => ((await bearingEvents()).some((e) => e.severity === 'CRITICAL') ? bearingEvents() : null),
      60_000,
      'CRITICAL maintenance event',
    )
    expect(dupes).toEqual([])
    expect(event).toMatchObject({ severity: 'CRITICAL', cost: 67_500, currency: 'INR', status: 'open' })
    console.log(`bearing wear: HH at ${alarm.value?.toFixed(1)} C; ${event!.workOrder}: ${event!.message}`)
    // Hot for longer: still the one event.
    const t = Date.now()
    await until(async () => (Date.now() - t > 2000 ? true : null), 5000, 'wait')
    await engine.settle()
    expect(await bearingEvents()).toHaveLength(1)
    expect(live.some((m) => m.topic === 'alarms' && m.alarms.some((a) => a.id === HH))).toBe(true)
  })

  it('keeps the acknowledgement and the open event when the engine stops and starts again', async () => {
    const r = await call<{ acked: string[] }>('alarms.ack', { ids: [HH], note: 'fitter called' })
    expect(r.acked).toEqual([HH])
    await engine!.stop()
    // A fresh simulator runs cool; at real speed its readings take 10 s to clear the alarm.
    engine = await createEngine({ dbPath, simSpeed: 1 })
    const after = await hh()
    expect(after.state).toBe('acked')
    expect(after.lastAck).toMatchObject({ by: 'local', note: 'fitter called' })
    const history = await call<{ entries: AlarmJournalEntry[] }>('alarms.history', { alarmId: HH })
    expect(history.entries.filter((e) => e.action === 'ack')).toHaveLength(1)
    const events = await bearingEvents()
    expect(events.map((e) => [e.severity, e.status])).toEqual([['CRITICAL', 'open']])
  })

  it('resolves the event with notes and exports it as a work order', async () => {
    const [open] = await bearingEvents()
    const { event } = await call<{ event: MaintenanceEvent }>('maintenance.resolve', {
      id: open!.id,
      notes: 'bearing replaced, alignment checked',
    })
    expect(event).toMatchObject({ status: 'resolved', resolvedBy: 'local' })
    const { csv } = await call<{ csv: string }>('maintenance.export', {})
    const row = csv.split('\r\n').find((l) => l.startsWith(open!.workOrder))
    expect(row).toMatch(/,CRITICAL,.*,67500,INR,resolved,.*,local,"bearing replaced, alignment checked"$/)
  })
})
