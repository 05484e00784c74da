import { unlinkSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { AlarmView } from '../../../shared/alarms.ts'
import type { SeriesBlock } from '../../../shared/contract.ts'
import type { Result } from '../../../shared/errors.ts'
import { PlantConfig } from '../../../shared/plant.ts'
import type { SourceStatus } from '../../../shared/samples.ts'
import { createEngine, type RunningEngine } from '../../engine/engine.ts'
import { scratch, sensorCsv } from '../../import/test-files.ts'

/*
 * A replayed file that disappears, inside the real engine: the source fails naming the file,
 * the operator gets the source alarm, and every row played before is in the history.
 */
const tmp = scratch('vigil-replay-engine-')
let engine: RunningEngine | null = null
afterEach(async () => {
  await engine?.stop()
  engine = null
  tmp.remove()
})

const value = <T>(r: Result<unknown>): T => {
  if (!r.ok) throw new Error(r.error.message)
  return r.value as T
}
async function until(ok: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('a replayed file that disappears mid-replay', () => {
  it('fails the source naming the file, raises its alarm, and keeps every row already played', async () => {
    const file = tmp.file('line-7.csv', sensorCsv(5000, 3, Date.UTC(2023, 5, 1)))
    const plant = PlantConfig.parse({
      name: 'replay plant',
      assets: [
        {
          id: 'R-1',
          name: 'replayed line',
          class: 'other',
          tags: ['s0', 's1', 's2'].map((id) => ({ id, unit: '', min: -1e9, max: 1e9 })),
          source: { kind: 'replay', file, speed: 50, loop: false, tickMs: 20 },
        },
      ],
    })
    let received = 0
    engine = await createEngine({
      config: plant,
      dbPath: join(tmp.dir, 'vigil.db'),
      userDataDir: tmp.dir,
      // Every batch the source hands over (the hub's live stream may merge or thin them).
      onSourceBatch: (b) => (received += b.t.length),
    })
    const statuses: SourceStatus[] = []
    engine.subscribe((m) => {
      if (m.topic === 'status' && m.status.kind === 'replay') statuses.push(m.status)
    })
    await until(() => received >= 40, 'forty rows')
    unlinkSync(file)
    await until(() => statuses.some((s) => s.state === 'failed'), 'the failure')
    expect(statuses.find((s) => s.state === 'failed')!.message).toContain(
      `replay of ${file}: the file is gone`,
    )
    await engine.settle()

    const h = value<SeriesBlock>(
      await engine.dispatch('history.range', {
        assetId: 'R-1',
        from: 0,
        to: Date.now() + 60_000,
        maxPoints: 20_000,
      }),
    )
    expect(h.raw).toBe(true)
    expect(h.t.length).toBe(received)
    const alarms = value<{ alarms: AlarmView[] }>(
      await engine.dispatch('alarms.list', { assetId: 'R-1' }),
    ).alarms
    const source = alarms.find((a) => a.id === 'R-1/source')
    expect(source).toMatchObject({ state: 'unack', priority: 'high' })
    expect(source!.message).toContain(`R-1 data source failed: replay of ${file}: the file is gone`)
  }, 60_000)
})
