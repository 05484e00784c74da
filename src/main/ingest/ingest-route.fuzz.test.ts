import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SeriesBlock } from '../../shared/contract.ts'
import type { Result } from '../../shared/errors.ts'
import { PlantConfig } from '../../shared/plant.ts'
import { createEngine, type RunningEngine } from '../engine/engine.ts'
import { checkWithin } from '../fuzz-budget.ts'
import { appRoot } from '../paths.ts'
import { startHeadlessServer, type HeadlessServer } from '../server/headless-server.ts'
import { IngestKeys } from './ingest-keys.ts'
import { ingestRoute } from './ingest-route.ts'

/*
 * POST /api/ingest under hostile bodies from a device that holds a good key: random bytes,
 * any JSON, and readings whose times and values are out of range, backwards, of the wrong
 * type or past what a double holds (1e999 parses to Infinity). Property: every request gets
 * one of the documented answers with a message (and for a 400, the fields), the route and
 * the engine stay up, and the history holds exactly the readings the answers accepted.
 * A failing input is kept in fuzz-regressions/ingest.json, replayed by the last test.
 */

const REGRESSIONS = join(appRoot(), 'fuzz-regressions', 'ingest.json')
const BUDGET_MS = 15_000
const dir = mkdtempSync(join(tmpdir(), 'vigil-ingest-fuzz-'))
let engine: RunningEngine
let server: HeadlessServer
let key = ''
let accepted = 0

const plant = PlantConfig.parse({
  name: 'Ingest fuzz',
  assets: [
    {
      id: 'PUMP-7',
      name: 'Pump 7',
      class: 'pump',
      source: { kind: 'http', staleAfterS: 60 },
      tags: [
        { id: 'Motor_RPM', unit: 'rpm', min: 0, max: 4000 },
        { id: 'Vibration_mm_s', unit: 'mm/s', min: 0, max: 50 },
      ],
    },
  ],
})

beforeAll(async () => {
  const models = join(dir, 'models')
  mkdirSync(models)
  const keys = new IngestKeys(dir)
  key = keys.add('gw-fuzz', 'PUMP-7', 10_000).key
  engine = await createEngine({ config: plant, dbPath: join(dir, 'ingest.db'), modelsDir: models })
  server = await startHeadlessServer({
    engine,
    rendererDir: dir,
    token: 'ingest-fuzz-token-0123456789',
    routes: [ingestRoute({ bus: engine.ingest, keys, maxBytes: 64 * 1024 })],
  })
})
afterAll(async () => {
  await server?.close()
  await engine?.stop()
  rmSync(dir, { recursive: true, force: true })
})

interface Sent {
  body: string
  type: string
}

/** Posts raw text and checks the answer is one the route documents, with what it must carry. */
async function post(s: Sent): Promise<void> {
  const r = await fetch(`http://127.0.0.1:${server.port}/api/ingest`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': s.type },
    body: s.body,
  })
  const text = await r.text()
  expect([200, 400, 403, 404, 409, 413, 415], text).toContain(r.status)
  const body = JSON.parse(text) as { accepted?: number; error?: string; message?: string; fields?: unknown[] }
  if (r.status === 200) {
    expect(Number.isInteger(body.accepted)).toBe(true)
    accepted += body.accepted!
    return
  }
  expect(typeof body.error).toBe('string')
  expect(typeof body.message).toBe('string')
  if (r.status === 400 && body.fields)
    for (const f of body.fields as { field: unknown; problem: unknown }[]) {
      expect(typeof f.field).toBe('string')
      expect(typeof f.problem).toBe('string')
    }
}

let clock = Date.now() - 3_600_000
/** A time as JSON text: mostly the next second, sometimes hostile. */
const time = fc.oneof(
  { weight: 6, arbitrary: fc.constant(null).map(() => String((clock += 1000))) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '0',
      '-1',
      '1e999',
      '1700000000',
      '99999999999999',
      '"yesterday"',
      '"2024-02-30T00:00:00Z"',
      '"9999-12-31T23:59:59Z"',
      '"0000-01-01T00:00:00Z"',
      'null',
      '[]',
      '{}',
      'true',
    ),
  },
  { weight: 1, arbitrary: fc.constant(null).map(() => String(clock - 5000)) },
)
const value = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => JSON.stringify(v)),
  fc.constantFrom('null', '1e999', '-1e999', '"12"', 'true', '[]', '{}', '1e308', '-0', '"NaN"'),
)
const reading = fc
  .tuple(time, value, value, fc.constantFrom('', ',"Ghost_Tag":1', ',"asset":"P-101"'))
  .map(([t, a, b, extra]) => `{"timestamp":${t},"Motor_RPM":${a},"Vibration_mm_s":${b}${extra}}`)
const readings = fc
  .array(reading, { minLength: 0, maxLength: 20 })
  .map((rs) => `{"asset":"PUMP-7","readings":[${rs.join(',')}]}`)
const body: fc.Arbitrary<Sent> = fc.record({
  body: fc.oneof(
    { weight: 4, arbitrary: readings },
    { weight: 1, arbitrary: reading.map((r) => `{"asset":"PUMP-7",${r.slice(1)}`) },
    { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')) },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 65 * 1024, max: 200_000 }).map((n) => `{"asset":"${'x'.repeat(n)}"}`),
    },
  ),
  type: fc.oneof(
    { weight: 6, arbitrary: fc.constant('application/json') },
    {
      weight: 1,
      arbitrary: fc.constantFrom('text/plain', 'application/json; charset=latin1', '', 'multipart/form-data'),
    },
  ),
})

async function stored(): Promise<number> {
  await engine.settle()
  const r = (await engine.dispatch('history.range', {
    assetId: 'PUMP-7',
    from: 0,
    to: Date.now() + 600_000,
    maxPoints: 20_000,
  })) as Result<SeriesBlock>
  if (!r.ok) throw new Error(r.error.message)
  expect(r.value.raw).toBe(true)
  return r.value.t.length
}

describe('POST /api/ingest under hostile bodies', () => {
  it('answers every body as documented and stores exactly the readings it accepted', async () => {
    // checkWithin, not fc.check's own time limit: a request it cut short would still be counted
    // (or stored) after the comparison below.
    const result = await checkWithin(body, (s) => post(s), { minRuns: 25, budgetMs: BUDGET_MS })
    if (result.failed) {
      const kept: Sent[] = existsSync(REGRESSIONS) ? JSON.parse(readFileSync(REGRESSIONS, 'utf8')) : []
      kept.push(result.input)
      writeFileSync(REGRESSIONS, `${JSON.stringify(kept, null, 2)}\n`)
      throw new Error(
        `${String(result.error)}\n(seed ${result.seed}; the body is kept in fuzz-regressions/ingest.json)`,
      )
    }
    if (process.env.VIGIL_FUZZ_VERBOSE) console.info(`${result.numRuns} bodies`)
    expect(result.numRuns).toBeGreaterThanOrEqual(25)
    expect(accepted).toBeGreaterThan(0)
    expect(await stored()).toBe(accepted)
  }, 60_000)

  it('still answers every body that once broke it (fuzz-regressions/ingest.json)', async () => {
    const kept: Sent[] = existsSync(REGRESSIONS) ? JSON.parse(readFileSync(REGRESSIONS, 'utf8')) : []
    for (const s of kept) await post(s)
    await post({
      body: `{"asset":"PUMP-7","timestamp":${(clock += 1000)},"Motor_RPM":1}`,
      type: 'application/json',
    })
    expect(await stored()).toBe(accepted)
  })
})
